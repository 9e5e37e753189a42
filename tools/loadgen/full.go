// SPDX-License-Identifier: Apache-2.0

package main

import (
	"sort"
	"time"

	"tailscale.com/types/netmap"
)

// fullUpdater receives the netmaps the real client assembles (PollNetMap); only the latest is kept.
type fullUpdater struct{ n *Node }

func (u *fullUpdater) UpdateFullNetmap(nm *netmap.NetworkMap) {
	n := u.n
	n.mu.Lock()
	defer n.mu.Unlock()
	n.lastMsg = time.Now()
	if nm.SelfNode.Valid() {
		n.id.Store(int64(nm.SelfNode.ID()))
	}
	n.gotFullLocked()
	n.full = &fullState{nm: nm}
	n.appliedLocked(n.full)
}

// fullState reads a netmap; its peers are sorted by id.
type fullState struct{ nm *netmap.NetworkMap }

func (s *fullState) peer(id int64) (peer, bool) {
	ps := s.nm.Peers
	i := sort.Search(len(ps), func(i int) bool { return int64(ps[i].ID()) >= id })
	if i == len(ps) || int64(ps[i].ID()) != id {
		return peer{}, false
	}
	p := ps[i]
	out := peer{Name: p.Name(), Tags: p.Tags().AsSlice(), Online: p.Online().GetOr(false)}
	for _, ep := range p.Endpoints().All() {
		out.Endpoints = append(out.Endpoints, ep.String())
	}
	return out, true
}

func (s *fullState) onlineCount() int {
	c := 0
	for _, p := range s.nm.Peers {
		if p.Online().GetOr(false) {
			c++
		}
	}
	return c
}

func (s *fullState) ids() []int64 {
	out := make([]int64, len(s.nm.Peers))
	for i, p := range s.nm.Peers {
		out[i] = int64(p.ID())
	}
	return out
}
