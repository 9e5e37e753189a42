// SPDX-License-Identifier: Apache-2.0

package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/netip"
	"net/url"
	"sync/atomic"
	"time"

	jsonv2 "github.com/go-json-experiment/json"
	"tailscale.com/tailcfg"
	"tailscale.com/util/zstdframe"
)

// maxFrame bounds one compressed map frame; a full map of 10,000 peers is far below it.
const maxFrame = 64 << 20

// watchdog is the client's: a stream with no frame for this long is dead (tailscaled uses 120 s too).
const watchdog = 120 * time.Second

// lightNode is the part of tailcfg.Node the light client keeps.
type lightNode struct {
	ID        int64
	Name      string
	Tags      []string
	Online    *bool
	Endpoints []string
}

// lightPatch is the part of tailcfg.PeerChange the light client applies.
type lightPatch struct {
	NodeID    int64
	Online    *bool
	Endpoints []string
}

// lightResponse is the part of tailcfg.MapResponse the light client reads.
type lightResponse struct {
	KeepAlive         bool
	Node              *lightNode
	Peers             []lightNode
	PeersChanged      []lightNode
	PeersRemoved      []int64
	PeersChangedPatch []*lightPatch
	OnlineChange      map[int64]bool
}

// lightState is a light client's peers, with the number online kept up to date as messages arrive.
type lightState struct {
	peers  map[int64]*peer
	online int
}

func (s *lightState) peer(id int64) (peer, bool) {
	p, ok := s.peers[id]
	if !ok {
		return peer{}, false
	}
	return *p, true
}

func (s *lightState) onlineCount() int { return s.online }

func (s *lightState) ids() []int64 {
	out := make([]int64, 0, len(s.peers))
	for id := range s.peers {
		out = append(out, id)
	}
	return out
}

func (s *lightState) set(n lightNode) {
	if old, ok := s.peers[n.ID]; ok && old.Online {
		s.online--
	}
	p := &peer{Name: n.Name, Tags: n.Tags, Online: n.Online != nil && *n.Online, Endpoints: n.Endpoints}
	s.peers[n.ID] = p
	if p.Online {
		s.online++
	}
}

func (s *lightState) remove(id int64) {
	if old, ok := s.peers[id]; ok {
		if old.Online {
			s.online--
		}
		delete(s.peers, id)
	}
}

func (s *lightState) setOnline(id int64, on bool) {
	p, ok := s.peers[id]
	if !ok || p.Online == on {
		return
	}
	p.Online = on
	if on {
		s.online++
	} else {
		s.online--
	}
}

func (s *lightState) apply(r *lightResponse) {
	if r.Peers != nil {
		s.peers = make(map[int64]*peer, len(r.Peers))
		s.online = 0
		for _, p := range r.Peers {
			s.set(p)
		}
	}
	for _, p := range r.PeersChanged {
		s.set(p)
	}
	for _, id := range r.PeersRemoved {
		s.remove(id)
	}
	for _, pc := range r.PeersChangedPatch {
		if pc == nil {
			continue
		}
		if pc.Online != nil {
			s.setOnline(pc.NodeID, *pc.Online)
		}
		if pc.Endpoints != nil {
			if p, ok := s.peers[pc.NodeID]; ok {
				p.Endpoints = pc.Endpoints
			}
		}
	}
	for id, on := range r.OnlineChange {
		s.setOnline(id, on)
	}
}

// pollLight is one streaming map request made over the node's Noise connection, read frame by frame until it
// ends or ctx is cancelled. Transport, Noise and registration are the real client's; only the map is parsed
// minimally, so one process can hold thousands of nodes.
func (n *Node) pollLight(ctx context.Context) error {
	p := n.direct.GetPersist()
	ep, _ := netip.ParseAddrPort(n.endpoint)
	body, err := json.Marshal(&tailcfg.MapRequest{
		Version:       tailcfg.CurrentCapabilityVersion,
		KeepAlive:     true,
		Stream:        true,
		Compress:      "zstd",
		NodeKey:       p.PublicNodeKey(),
		DiscoKey:      n.disco,
		Hostinfo:      n.hostinfo,
		Endpoints:     []netip.AddrPort{ep},
		EndpointTypes: []tailcfg.EndpointType{tailcfg.EndpointLocal},
	})
	if err != nil {
		return err
	}
	u, err := url.Parse(n.env.serverURL)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, "POST", "https://"+u.Host+"/machine/map", bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	res, err := n.direct.DoNoiseRequest(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	if res.StatusCode != 200 {
		msg, _ := io.ReadAll(io.LimitReader(res.Body, 512))
		return fmt.Errorf("map: status %d: %s", res.StatusCode, bytes.TrimSpace(msg))
	}
	var starved atomic.Bool
	dog := time.AfterFunc(watchdog, func() { starved.Store(true); cancel() })
	defer dog.Stop()
	r := bufio.NewReaderSize(res.Body, 32<<10)
	var hdr [4]byte
	var frame, plain []byte
	for {
		if _, err := io.ReadFull(r, hdr[:]); err != nil {
			if starved.Load() {
				return fmt.Errorf("watchdog: no map frame for %s", watchdog)
			}
			return fmt.Errorf("map stream: %w", err)
		}
		size := binary.LittleEndian.Uint32(hdr[:])
		if size > maxFrame {
			return fmt.Errorf("map frame of %d bytes", size)
		}
		if cap(frame) < int(size) {
			frame = make([]byte, size)
		}
		frame = frame[:size]
		if _, err := io.ReadFull(r, frame); err != nil {
			return fmt.Errorf("map stream: %w", err)
		}
		dog.Reset(watchdog)
		plain, err = zstdframe.AppendDecode(plain[:0], frame)
		if err != nil {
			return fmt.Errorf("map frame: %w", err)
		}
		var resp lightResponse
		// the v2 decoder: a full map of thousands of peers is mostly Hostinfo the light client skips,
		// and encoding/json's scanner made the generator, not the server, the bottleneck of a storm
		if err := jsonv2.Unmarshal(plain, &resp); err != nil {
			return fmt.Errorf("map frame: %w", err)
		}
		n.handleLight(&resp)
	}
}

func (n *Node) handleLight(r *lightResponse) {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.lastMsg = time.Now()
	if r.Node != nil {
		n.id.Store(r.Node.ID)
		n.gotFullLocked()
	}
	if r.KeepAlive && r.Node == nil && r.Peers == nil && r.PeersChanged == nil && r.PeersRemoved == nil &&
		r.PeersChangedPatch == nil && r.OnlineChange == nil {
		n.keepAlives.Add(1)
		return
	}
	if n.light == nil {
		n.light = &lightState{peers: map[int64]*peer{}}
	}
	n.light.apply(r)
	n.appliedLocked(n.light)
}
