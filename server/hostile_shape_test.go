package server_test

import (
	"fmt"
	"reflect"
	"strings"

	"github.com/aliyun/alibaba-cloud-sdk-go/services/cas"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/resourcemanager"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/slb"
	sdksts "github.com/aliyun/alibaba-cloud-sdk-go/services/sts"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/vpc"
)

// sdkShapes maps "Version/Action" to the SDK's request and response types
// (where the SDK v1 has a typed method for it).
func sdkShapes() map[string][2]reflect.Type {
	out := map[string][2]reflect.Type{}
	for version, client := range map[string]any{"2014-05-15": &slb.Client{}, "2020-04-07": &cas.Client{}, "2015-04-01": &sdksts.Client{},
		"2016-04-28": &vpc.Client{}, "2020-03-31": &resourcemanager.Client{}, "2014-05-26": &ecs.Client{}} {
		v := reflect.ValueOf(client)
		for i := 0; i < v.NumMethod(); i++ {
			m := v.Type().Method(i)
			if m.Type.NumIn() != 2 || m.Type.NumOut() != 2 || !strings.HasSuffix(m.Type.In(1).String(), m.Name+"Request") {
				continue
			}
			out[version+"/"+m.Name] = [2]reflect.Type{m.Type.In(1).Elem(), m.Type.Out(0).Elem()}
		}
	}
	return out
}

// requestParams lists the parameter names an SDK request struct sends,
// repeated ones with index 1 (Tag.1.Key, ResourceId.1).
func requestParams(t reflect.Type) []string {
	var out []string
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		name := f.Tag.Get("name")
		if name == "" {
			continue
		}
		if f.Tag.Get("type") == "Repeated" {
			elem := f.Type.Elem().Elem() // *[]T
			if elem.Kind() == reflect.Struct {
				for j := 0; j < elem.NumField(); j++ {
					if sub := elem.Field(j).Tag.Get("name"); sub != "" {
						out = append(out, name+".1."+sub)
					}
				}
				continue
			}
			out = append(out, name+".1")
			continue
		}
		out = append(out, name)
	}
	return out
}

// shapeErrors checks a decoded JSON value against the SDK's Go type: no
// null anywhere, numbers where it declares numbers, strings where strings,
// lists and objects where it declares them.
func shapeErrors(path string, v any, t reflect.Type) []string {
	if v == nil {
		return []string{path + " is null"}
	}
	if t == nil {
		switch x := v.(type) {
		case map[string]any:
			var out []string
			for k, vv := range x {
				out = append(out, shapeErrors(path+"."+k, vv, nil)...)
			}
			return out
		case []any:
			var out []string
			for i, vv := range x {
				out = append(out, shapeErrors(fmt.Sprintf("%s[%d]", path, i), vv, nil)...)
			}
			return out
		}
		return nil
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	bad := func(want string) []string {
		return []string{fmt.Sprintf("%s = %#v (%T), the SDK declares %s", path, v, v, want)}
	}
	switch t.Kind() {
	case reflect.String:
		if _, ok := v.(string); !ok {
			return bad("a string")
		}
	case reflect.Int, reflect.Int32, reflect.Int64, reflect.Float64, reflect.Float32:
		if _, ok := v.(float64); !ok {
			return bad("a number")
		}
	case reflect.Bool:
		if _, ok := v.(bool); !ok {
			return bad("a bool")
		}
	case reflect.Slice:
		list, ok := v.([]any)
		if !ok {
			return bad("a list")
		}
		var out []string
		for i, vv := range list {
			out = append(out, shapeErrors(fmt.Sprintf("%s[%d]", path, i), vv, t.Elem())...)
		}
		return out
	case reflect.Struct:
		obj, ok := v.(map[string]any)
		if !ok {
			return bad("an object")
		}
		fields := map[string]reflect.Type{}
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			if n, _, _ := strings.Cut(f.Tag.Get("json"), ","); n != "" {
				fields[n] = f.Type
			}
		}
		var out []string
		for k, vv := range obj {
			out = append(out, shapeErrors(path+"."+k, vv, fields[k])...)
		}
		return out
	case reflect.Map:
		if _, ok := v.(map[string]any); !ok {
			return bad("an object")
		}
	}
	return nil
}
