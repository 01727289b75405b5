package slb

import (
	"context"

	"slbcert"
)

// listenerProtocols are the values of ListenerProtocol.
var listenerProtocols = []string{ProtocolHTTP, ProtocolHTTPS, ProtocolTCP, ProtocolUDP}

// onPort returns the listener on port of lb that protocol names: with
// protocol "", the only listener on the port, and MissingParameter
// ListenerProtocol when a UDP listener shares it with one of the TCP
// family (docs/choices.md, "TCP and UDP listeners"). notFound answers a
// port without such a listener.
func (s *Service) onPort(ctx context.Context, p *slbcert.Principal, lb *LoadBalancer, port int, protocol string, notFound error) (*Listener, error) {
	found, err := s.LoadBalancers.FindListeners(ctx, ListenerFilter{AccountID: p.Account.ID, LoadBalancerIDs: []string{lb.ID}, Port: port})
	if err != nil {
		return nil, storeError(err, nil)
	}
	if protocol == "" {
		switch len(found) {
		case 0:
			return nil, notFound
		case 1:
			return found[0], nil
		}
		return nil, slbcert.Errorf(slbcert.EMissingParameter, "The input parameter ListenerProtocol that is mandatory for processing this request is not supplied: listeners of protocols %s and %s share port %d.",
			found[0].Protocol, found[1].Protocol, port)
	}
	for _, l := range found {
		if l.Protocol == protocol {
			return l, nil
		}
	}
	return nil, notFound
}

// readListenerProtocol reads an optional ListenerProtocol.
func readListenerProtocol(v string) (string, error) {
	if v == "" {
		return "", nil
	}
	return choice("ListenerProtocol", v, listenerProtocols...)
}
