// SPDX-License-Identifier: Apache-2.0

package main

import (
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"unsafe"

	"tailscale.com/control/controlclient"
	"tailscale.com/control/ts2021"
)

// limitReceiveWindow sets the HTTP/2 receive buffers of the node's Noise transport and closes its idle connection, so
// the map stream dials a connection that has them. A real client reads its one stream at once; one generator core
// holding thousands of nodes falls behind in a connect, and with Go's default of 4 MB a stream the server fills the
// generator's memory with frames not yet read (5,000 nodes took 22 GB). With a small window the server waits instead,
// and the time still counts until the generator has read the map.
//
// controlclient.Direct keeps its Noise client unexported; it is read here by reflection (the generator is pinned to
// one tailscale.com version in go.mod, and a renamed field is an error, not a silent default).
func limitReceiveWindow(d *controlclient.Direct, perStream int) error {
	f := reflect.ValueOf(d).Elem().FieldByName("noiseClient")
	if !f.IsValid() {
		return errors.New("recv-window: controlclient.Direct has no noiseClient field in this tailscale.com version")
	}
	nc, ok := reflect.NewAt(f.Type(), unsafe.Pointer(f.UnsafeAddr())).Elem().Interface().(*ts2021.Client)
	if !ok || nc == nil || nc.Client == nil {
		return errors.New("recv-window: the node has no Noise client after registering")
	}
	tr, ok := nc.Client.Transport.(*http.Transport)
	if !ok {
		return fmt.Errorf("recv-window: Noise transport is a %T", nc.Client.Transport)
	}
	tr.HTTP2 = &http.HTTP2Config{MaxReceiveBufferPerStream: perStream, MaxReceiveBufferPerConnection: 2 * perStream}
	tr.CloseIdleConnections()
	return nil
}
