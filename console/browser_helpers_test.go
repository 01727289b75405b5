package console_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// The browser tests drive Debian's chromium, headless (.ci/run installs
// it). Without it they skip, loudly, except under CI=true, where they fail.
var (
	browserOnce   sync.Once
	browserCtx    context.Context
	browserCancel context.CancelFunc
	browserErr    error
)

// Widths the pages are checked and pictured at: a phone and a desktop.
const (
	narrowWidth, narrowHeight = 390, 844
	wideWidth, wideHeight     = 1360, 900
)

func TestMain(m *testing.M) {
	code := m.Run()
	if browserCancel != nil {
		browserCancel()
	}
	os.Exit(code)
}

// chromiumPath finds the browser: $CHROMIUM, or Debian's chromium.
func chromiumPath() string {
	if p := os.Getenv("CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

func startBrowser(path string) {
	dir, err := os.MkdirTemp("", "slbcert-console-chromium")
	if err != nil {
		browserErr = err
		return
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(path), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.UserDataDir(dir), chromedp.Flag("hide-scrollbars", true), chromedp.Flag("font-render-hinting", "none"),
		chromedp.WindowSize(wideWidth, wideHeight))
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(alloc)
	browserCtx = ctx
	browserCancel = func() {
		cancel()
		cancelAlloc()
		os.RemoveAll(dir)
	}
	browserErr = chromedp.Do(ctx, chromedp.Navigate("about:blank"))
}

// tab opens a tab of its own (its own cookies) at width×height, closed
// when the test ends. scripts false turns JavaScript off in it.
func tab(t *testing.T, width, height int64, scripts bool) context.Context {
	t.Helper()
	path := chromiumPath()
	if path == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("no chromium: the browser tests need Debian's chromium (apt-get install chromium), which .ci/run installs")
		}
		t.Skip("SKIPPED LOUDLY: no chromium on this machine; `apt-get install chromium` to run the console's browser tests")
	}
	browserOnce.Do(func() { startBrowser(path) })
	if browserErr != nil {
		t.Fatalf("starting %s: %v", path, browserErr)
	}
	ctx, cancel := chromedp.NewContext(browserCtx, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	ctx, cancelTimeout := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(cancelTimeout)
	steps := []chromedp.Action[chromedp.Void]{chromedp.EmulateViewport(width, height)}
	if !scripts {
		steps = append(steps, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true})
			return err
		}))
	}
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatal(err)
	}
	return ctx
}

// acceptDialogs accepts every confirm() the page opens (the console asks
// before a delete).
func acceptDialogs(ctx context.Context) {
	dialogs := chromedp.Events(ctx, page.JavascriptDialogOpening)
	go func() {
		for _, err := range dialogs {
			if err != nil {
				return
			}
			chromedp.Call(ctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: true})
		}
	}()
}

// do runs steps, failing the test with what the page showed.
func do(t *testing.T, ctx context.Context, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatalf("%v\n%s", err, pageText(ctx))
	}
}

// pageText is the text of the page's main element.
func pageText(ctx context.Context) string {
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("body")))
	if err != nil {
		return fmt.Sprintf("(no page text: %v)", err)
	}
	return s
}

// text is the visible text of the first element sel matches.
func text(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		t.Fatalf("%s: %v\n%s", sel, err, pageText(ctx))
	}
	return s
}

// submit clicks sel (a submit button) and waits for the page it leads to.
func submit(t *testing.T, ctx context.Context, sel string) {
	t.Helper()
	if _, err := chromedp.Run(ctx, chromedp.WaitEvent(page.LoadEventFired, nil, chromedp.Click(chromedp.CSS(sel)))); err != nil {
		t.Fatalf("submit %s: %v\n%s", sel, err, pageText(ctx))
	}
}

// signInBrowser fills the sign-in form by its labels' inputs and sends it.
func signInBrowser(t *testing.T, ctx context.Context, base, id, secret string) {
	t.Helper()
	do(t, ctx, chromedp.Navigate(base+"/console/signin"),
		chromedp.SendKeys(chromedp.CSS(`input[name="accessKeyId"]`), id),
		chromedp.SendKeys(chromedp.CSS(`input[name="accessKeySecret"]`), secret))
	submit(t, ctx, `form[action="/console/signin"] button[type="submit"]`)
}

func mustContain(t *testing.T, what, got string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(got, w) {
			t.Fatalf("%s lacks %q:\n%s", what, w, got)
		}
	}
}

// pageLoad is the event a navigation ends with.
var pageLoad = page.LoadEventFired
