// SPDX-License-Identifier: Apache-2.0

package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/netip"
	"reflect"
	"testing"

	jsonv2 "github.com/go-json-experiment/json"
	"github.com/klauspost/compress/zstd"
	"tailscale.com/tailcfg"
	"tailscale.com/types/key"
)

// mapWith is a MapResponse as tailcfg encodes it, peers complete with keys, addresses, endpoints and Hostinfo.
func mapWith(t testing.TB, peers int, edit func(*tailcfg.MapResponse)) []byte {
	t.Helper()
	online, offline := true, false
	nodes := make([]*tailcfg.Node, peers)
	for i := range nodes {
		ip := netip.AddrFrom4([4]byte{100, 64, byte(i >> 8), byte(i)})
		nodes[i] = &tailcfg.Node{
			ID:         tailcfg.NodeID(i + 1),
			StableID:   tailcfg.StableNodeID(fmt.Sprint("stable", i)),
			Name:       fmt.Sprintf("node-%d.tailnet.example.", i),
			Key:        key.NewNode().Public(),
			DiscoKey:   key.NewDisco().Public(),
			Addresses:  []netip.Prefix{netip.PrefixFrom(ip, 32)},
			AllowedIPs: []netip.Prefix{netip.PrefixFrom(ip, 32)},
			Endpoints:  []netip.AddrPort{netip.MustParseAddrPort("127.0.0.1:41641")},
			HomeDERP:   900,
			Hostinfo:   (&tailcfg.Hostinfo{Hostname: fmt.Sprint("host-", i), OS: "linux", IPNVersion: "1.96.5"}).View(),
			Online:     &online,
			Tags:       []string{"tag:loadgen"},
		}
		if i%3 == 0 {
			nodes[i].Online = &offline
			nodes[i].Tags = nil
		}
	}
	r := &tailcfg.MapResponse{Node: nodes[0], Peers: nodes[1:], KeepAlive: false}
	if edit != nil {
		edit(r)
	}
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func decodeByReflection(t testing.TB, b []byte) *lightResponse {
	t.Helper()
	var r lightResponse
	if err := jsonv2.Unmarshal(b, &r); err != nil {
		t.Fatal(err)
	}
	return &r
}

func TestTheScannerReadsWhatDecodingByReflectionReads(t *testing.T) {
	off := false
	cases := map[string][]byte{
		"full map": mapWith(t, 50, nil),
		"deltas": mapWith(t, 4, func(r *tailcfg.MapResponse) {
			r.PeersChanged, r.Peers, r.Node = r.Peers[:2], nil, nil
			r.PeersRemoved = []tailcfg.NodeID{7, 9}
			r.PeersChangedPatch = []*tailcfg.PeerChange{{NodeID: 3, Online: &off}, {NodeID: 4, DERPRegion: 2}, nil}
			r.OnlineChange = map[tailcfg.NodeID]bool{5: true, 6: false}
		}),
		"keep-alive":  []byte(`{"KeepAlive":true}`),
		"empty lists": []byte(`{"Peers":[],"PeersChanged":null,"PeersRemoved":[],"OnlineChange":{}}`),
		"nulls":       []byte(`{"Node":null,"Peers":[{"ID":1,"Name":null,"Tags":null,"Online":null}],"KeepAlive":null}`),
		"unknown members of every kind": []byte(`{"X":{"a":[1,{"b":"}"}]},"Peers":[{"ID":2,"Extra":[[]],"Online":true,` +
			`"Name":"n\"\\u00e9"}],"Y":-1.5e3,"Z":"Peers"}`),
	}
	for name, b := range cases {
		t.Run(name, func(t *testing.T) {
			got, err := decodeLightResponse(b, nil)
			if err != nil {
				t.Fatal(err)
			}
			if want := decodeByReflection(t, b); !reflect.DeepEqual(got, want) {
				t.Errorf("scanner:\n%+v\nreflection:\n%+v", got, want)
			}
		})
	}
}

func TestRunsOfEntriesInCachedFramesAreReadOnceAndReadTheSame(t *testing.T) {
	b := mapWith(t, 120, nil)
	want := decodeByReflection(t, b)
	// cut the JSON as Ledgerscale sends a large map: runs of whole peer entries, each with its comma, a frame each;
	// one more frame that starts at an entry but ends inside one; the rest around them
	var starts []int
	for i := bytes.Index(b, []byte(`"Peers":[`)); ; {
		k := bytes.Index(b[i+1:], []byte(`{"ID":`))
		if k < 0 {
			break
		}
		i += 1 + k
		starts = append(starts, i)
	}
	cuts := []int{0, starts[10], starts[40], starts[70], starts[90] + 30, len(b)}
	enc, err := zstd.NewWriter(nil, zstd.WithEncoderLevel(zstd.SpeedFastest))
	if err != nil {
		t.Fatal(err)
	}
	var payload []byte
	for k := 1; k < len(cuts); k++ {
		payload = enc.EncodeAll(b[cuts[k-1]:cuts[k]], payload)
	}
	c := newFrameCache()
	for round := 0; round < 3; round++ {
		plain, frames, err := c.appendDecoded(nil, payload, nil)
		if err != nil {
			t.Fatal(err)
		}
		got, err := decodeLightResponse(plain, frames)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("round %d:\n%+v\nreflection:\n%+v", round, got.Peers, want.Peers)
		}
		// what each frame was found to hold: the two runs whole (30 entries each), the cut one not
		wholes := map[int]int{}
		for _, f := range frames {
			if e := f.f.entries.Load(); e != nil {
				wholes[f.at] = len(e.nodes)
				if !e.whole {
					wholes[f.at] = -1
				}
			}
		}
		if w := map[int]int{starts[10]: 30, starts[40]: 30, starts[70]: -1}; !reflect.DeepEqual(wholes, w) {
			t.Fatalf("round %d: frames read as %v, want %v", round, wholes, w)
		}
	}
}

func TestTheScannerRefusesWhatIsNotAMap(t *testing.T) {
	for _, b := range []string{``, `[]`, `{"Peers":{}}`, `{"Peers":[{"ID":"1"}]}`, `{"PeersRemoved":[1.5]}`,
		`{"OnlineChange":{"x":true}}`, `{"Peers":[`, `{"KeepAlive":1}`} {
		if r, err := decodeLightResponse([]byte(b), nil); err == nil {
			t.Errorf("%s: decoded as %+v", b, r)
		}
	}
}

func BenchmarkLightDecode(b *testing.B) {
	m := mapWith(b, 1000, nil)
	b.Run("reflection", func(b *testing.B) {
		b.SetBytes(int64(len(m)))
		for range b.N {
			decodeByReflection(b, m)
		}
	})
	b.Run("scanner", func(b *testing.B) {
		b.SetBytes(int64(len(m)))
		for range b.N {
			if _, err := decodeLightResponse(m, nil); err != nil {
				b.Fatal(err)
			}
		}
	})
}
