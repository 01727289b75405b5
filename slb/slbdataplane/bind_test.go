package slbdataplane_test

import (
	"testing"

	"slbcert/slb"
	"slbcert/slb/slbdataplane"
)

func TestBindAddress(t *testing.T) {
	for _, tc := range []struct {
		name string
		lb   slb.LoadBalancer
		want string
	}{
		{"pool address", slb.LoadBalancer{Address: "127.1.0.1", AddressType: "internet"}, "127.1.0.1"},
		{"vSwitch address at its image", slb.LoadBalancer{Address: "192.168.1.1", VSwitchID: "vsw-1", AddressType: "intranet"}, "127.168.1.1"},
		{"internet in a VPC: the pool's", slb.LoadBalancer{Address: "10.9.0.1", VSwitchID: "vsw-1", AddressType: "internet"}, "10.9.0.1"},
		{"a pool address recorded before the vSwitch was checked", slb.LoadBalancer{Address: "127.1.0.9", VSwitchID: "vsw-1", AddressType: "intranet"}, "127.1.0.9"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := slbdataplane.BindAddress(&tc.lb); got != tc.want {
				t.Errorf("BindAddress = %s, want %s", got, tc.want)
			}
		})
	}
}
