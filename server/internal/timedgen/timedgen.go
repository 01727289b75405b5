// Package timedgen writes the server's timed store (go generate ./server):
// for every method of an interface, a method of a decorator that times the
// call and forwards it. It reads the interface with go/types, from the one
// file that declares it and the compiler's export data of what that file
// imports (go list -export), so it runs even while the package around the
// file does not compile — as it does not once the interface has grown and
// the decorator is stale. The server's test compares its output with the
// file checked in.
package timedgen

import (
	"bufio"
	"bytes"
	"fmt"
	"go/ast"
	"go/format"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// ServerStore is the server's timed store: timedStore over Store, in
// store.go of the package directory go generate and go test run in.
var ServerStore = Spec{Dir: ".", File: "store.go", Interface: "Store", Type: "timedStore", Timer: "storeTimer", Generator: "gen_timed.go"}

// Spec names what to generate from.
type Spec struct {
	Dir       string // the package's directory
	File      string // the file in Dir declaring Interface
	Interface string // the interface: its methods are timed
	Type      string // the decorator to write
	Timer     string // the timer interface: Since(time.Time)
	Generator string // what the header names as the generator
}

// Generate returns the formatted source of spec.Type: a struct holding
// the decorated value (s) and one timer per method (ops), a constructor
// new<Type>(s, timer func(method string) <Timer>), and the methods, each
// deferring its timer's Since(time.Now()) and forwarding the call.
func Generate(spec Spec) ([]byte, error) {
	fset := token.NewFileSet()
	path := filepath.Join(spec.Dir, spec.File)
	f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
	if err != nil {
		return nil, err
	}
	var imports []string
	for _, s := range f.Imports {
		p, _ := strconv.Unquote(s.Path.Value)
		imports = append(imports, p)
	}
	exports, err := exportData(spec.Dir, imports)
	if err != nil {
		return nil, err
	}
	lookup := func(p string) (io.ReadCloser, error) {
		file, ok := exports[p]
		if !ok {
			return nil, fmt.Errorf("no export data for %s", p)
		}
		return os.Open(file)
	}
	conf := types.Config{Importer: importer.ForCompiler(fset, "gc", lookup)}
	pkg, err := conf.Check(f.Name.Name, fset, []*ast.File{f}, nil)
	if err != nil {
		return nil, err
	}
	obj := pkg.Scope().Lookup(spec.Interface)
	if obj == nil {
		return nil, fmt.Errorf("%s declares no %s", path, spec.Interface)
	}
	iface, ok := obj.Type().Underlying().(*types.Interface)
	if !ok {
		return nil, fmt.Errorf("%s is not an interface", spec.Interface)
	}
	return write(spec, pkg, methodGroups(iface))
}

// exportData maps each package dir's file imports, and everything they
// import, to its export data file, building what is missing.
func exportData(dir string, imports []string) (map[string]string, error) {
	goCmd := "go"
	if root := os.Getenv("GOROOT"); root != "" {
		if p := filepath.Join(root, "bin", "go"); fileExists(p) {
			goCmd = p
		}
	}
	cmd := exec.Command(goCmd, append([]string{"list", "-export", "-deps", "-f", "{{.ImportPath}}\t{{.Export}}"}, imports...)...)
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("go list -export: %v: %s", err, stderr.Bytes())
	}
	m := map[string]string{}
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		if p, file, ok := strings.Cut(sc.Text(), "\t"); ok && file != "" {
			m[p] = file
		}
	}
	return m, sc.Err()
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// group is the methods an embedded interface brings (from names it), or
// the interface's own.
type group struct {
	from    string
	methods []*types.Func
}

// methodGroups lists iface's methods by embedded interface, in the order
// they are embedded, then its own; each method once.
func methodGroups(iface *types.Interface) []group {
	seen := map[string]bool{}
	var out []group
	add := func(from string, fns []*types.Func) {
		g := group{from: from}
		for _, fn := range fns {
			if !seen[fn.Name()] {
				seen[fn.Name()] = true
				g.methods = append(g.methods, fn)
			}
		}
		if len(g.methods) > 0 {
			out = append(out, g)
		}
	}
	for i := range iface.NumEmbeddeds() {
		e := iface.EmbeddedType(i)
		var fns []*types.Func
		if ei, ok := e.Underlying().(*types.Interface); ok {
			for j := range ei.NumMethods() {
				fns = append(fns, ei.Method(j))
			}
		}
		add(types.TypeString(e, func(p *types.Package) string { return p.Name() }), fns)
	}
	var own []*types.Func
	for i := range iface.NumExplicitMethods() {
		own = append(own, iface.ExplicitMethod(i))
	}
	add("", own)
	return out
}

// write renders the decorator.
func write(spec Spec, pkg *types.Package, groups []group) ([]byte, error) {
	imports := map[string]string{"time": "time"} // path → name
	var qualErr error
	qualify := func(p *types.Package) string {
		if p == pkg {
			return ""
		}
		if other, ok := imports[p.Path()]; ok && other != p.Name() {
			qualErr = fmt.Errorf("package %s imported as %s and %s", p.Path(), other, p.Name())
		}
		for path, name := range imports {
			if name == p.Name() && path != p.Path() {
				qualErr = fmt.Errorf("two packages named %s: %s and %s", name, path, p.Path())
			}
		}
		imports[p.Path()] = p.Name()
		return p.Name()
	}

	var body bytes.Buffer
	var names []string
	for _, g := range groups {
		for _, fn := range g.methods {
			names = append(names, fn.Name())
		}
	}
	fmt.Fprintf(&body, "// %s is a %s whose every call is timed: ops holds one timer per method.\n", spec.Type, spec.Interface)
	fmt.Fprintf(&body, "type %s struct {\n\ts %s\n\tops struct {\n", spec.Type, spec.Interface)
	for _, n := range names {
		fmt.Fprintf(&body, "\t\t%s %s\n", n, spec.Timer)
	}
	fmt.Fprintf(&body, "\t}\n}\n\n")
	fmt.Fprintf(&body, "var _ %s = (*%s)(nil)\n\n", spec.Interface, spec.Type)
	ctor := "new" + strings.ToUpper(spec.Type[:1]) + spec.Type[1:]
	fmt.Fprintf(&body, "// %s returns s with every call timed by the timer of its method's name.\n", ctor)
	fmt.Fprintf(&body, "func %s(s %s, timer func(method string) %s) *%s {\n\tt := &%s{s: s}\n", ctor, spec.Interface, spec.Timer, spec.Type, spec.Type)
	for _, n := range names {
		fmt.Fprintf(&body, "\tt.ops.%s = timer(%q)\n", n, n)
	}
	fmt.Fprintf(&body, "\treturn t\n}\n")

	for _, g := range groups {
		if g.from != "" {
			fmt.Fprintf(&body, "\n// %s\n", g.from)
		} else {
			fmt.Fprintf(&body, "\n// %s's own\n", spec.Interface)
		}
		for _, fn := range g.methods {
			writeMethod(&body, spec, fn, qualify)
		}
	}
	if qualErr != nil {
		return nil, qualErr
	}

	var out bytes.Buffer
	fmt.Fprintf(&out, "// Code generated by %s from %s (%s); DO NOT EDIT.\n\npackage %s\n\nimport (\n", spec.Generator, spec.Interface, spec.File, pkg.Name())
	paths := make([]string, 0, len(imports))
	for p := range imports {
		paths = append(paths, p)
	}
	slices.Sort(paths)
	for _, p := range paths {
		if imports[p] == filepath.Base(p) {
			fmt.Fprintf(&out, "\t%q\n", p)
		} else {
			fmt.Fprintf(&out, "\t%s %q\n", imports[p], p)
		}
	}
	fmt.Fprintf(&out, ")\n\n")
	out.Write(body.Bytes())
	return format.Source(out.Bytes())
}

// writeMethod renders one timed, forwarding method.
func writeMethod(w *bytes.Buffer, spec Spec, fn *types.Func, qualify types.Qualifier) {
	sig := fn.Type().(*types.Signature)
	reserved := map[string]bool{"t": true, "time": true}
	var params, args []string
	for i := range sig.Params().Len() {
		p := sig.Params().At(i)
		name := p.Name()
		if name == "" || name == "_" {
			name = fmt.Sprintf("p%d", i)
		}
		for reserved[name] {
			name += "_"
		}
		reserved[name] = true
		typ := types.TypeString(p.Type(), qualify)
		arg := name
		if sig.Variadic() && i == sig.Params().Len()-1 {
			typ = "..." + types.TypeString(p.Type().(*types.Slice).Elem(), qualify)
			arg += "..."
		}
		params = append(params, name+" "+typ)
		args = append(args, arg)
	}
	var results []string
	for i := range sig.Results().Len() {
		results = append(results, types.TypeString(sig.Results().At(i).Type(), qualify))
	}
	res := strings.Join(results, ", ")
	if len(results) > 1 {
		res = "(" + res + ")"
	}
	fmt.Fprintf(w, "\nfunc (t *%s) %s(%s) %s {\n", spec.Type, fn.Name(), strings.Join(params, ", "), res)
	fmt.Fprintf(w, "\tdefer t.ops.%s.Since(time.Now())\n", fn.Name())
	call := fmt.Sprintf("t.s.%s(%s)", fn.Name(), strings.Join(args, ", "))
	if len(results) > 0 {
		call = "return " + call
	}
	fmt.Fprintf(w, "\t%s\n}\n", call)
}
