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
	"sync"
	"sync/atomic"
	"time"
	"unique"

	"tailscale.com/tailcfg"
)

// maxFrame bounds one compressed map frame; a full map of 10,000 peers is far below it.
const maxFrame = 64 << 20

// watchdog is the client's: a stream with no frame for this long is dead (tailscaled uses 120 s too).
const watchdog = 120 * time.Second

// lightNode is the part of tailcfg.Node the light client keeps (no check reads a peer's endpoints, so they are
// not even decoded).
type lightNode struct {
	ID     int64
	Name   string
	Tags   []string
	Online *bool
}

// lightPatch is the part of tailcfg.PeerChange the light client applies.
type lightPatch struct {
	NodeID int64
	Online *bool
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

// lightState is a light client's peers, with the number online kept up to date as messages arrive. Every node
// holds every peer: N² entries, so they are values, with names and tags interned (one copy per distinct string
// for the whole fleet), or 5,000 nodes would need gigabytes.
type lightState struct {
	peers  map[int64]peer
	online int
}

func (s *lightState) peer(id int64) (peer, bool) {
	p, ok := s.peers[id]
	return p, ok
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
	p := peer{Name: unique.Make(n.Name).Value(), Tags: internTags(n.Tags), Online: n.Online != nil && *n.Online}
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
	s.peers[id] = p
	if on {
		s.online++
	} else {
		s.online--
	}
}

func (s *lightState) apply(r *lightResponse) {
	if r.Peers != nil {
		s.peers = make(map[int64]peer, len(r.Peers))
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
		resp, err := decodeLight(r, int(size))
		if err != nil {
			return err
		}
		dog.Reset(watchdog)
		n.handleLight(resp)
		resp.release()
	}
}

// A full map of 1,000 peers is about 150 KB compressed and 1 MB of JSON: kept per stream between frames, the buffers
// were most of the generator's memory (2.5 GB at 1,000 nodes), and only the streams decoding at that moment need
// one. A stream waiting for the rest of a frame holds only the compressed bytes: with the JSON's buffer taken before
// the read, 5,000 streams part-way through a 5,000-peer map held 4 MB each, and the generator was killed for its
// 22 GB.
var (
	compressedBuffers = sync.Pool{New: func() any { return new([]byte) }}
	plainBuffers      = sync.Pool{New: func() any { return new([]byte) }}
)

// decodeLight reads one frame of size bytes from r and decodes the part of the MapResponse the light client keeps.
// The caller gives the response back (release) once it has applied it.
func decodeLight(r io.Reader, size int) (*lightResponse, error) {
	frame := compressedBuffers.Get().(*[]byte)
	defer compressedBuffers.Put(frame)
	if cap(*frame) < size {
		*frame = make([]byte, size)
	}
	*frame = (*frame)[:size]
	if _, err := io.ReadFull(r, *frame); err != nil {
		return nil, fmt.Errorf("map stream: %w", err)
	}
	plain := plainBuffers.Get().(*[]byte)
	defer plainBuffers.Put(plain)
	decoded, frames, err := decodedFrames.appendDecoded((*plain)[:0], *frame, nil)
	if err != nil {
		return nil, fmt.Errorf("map frame: %w", err)
	}
	*plain = decoded
	// a full map of thousands of peers is mostly what the light client skips: a decoder that does not look
	// inside it keeps the generator, not the server, from being the bottleneck of a storm
	return decodeLightResponse(decoded, frames)
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
		n.light = &lightState{peers: map[int64]peer{}}
	}
	n.light.apply(r)
	n.appliedLocked(n.light)
}

// internTags answers the fleet's one copy of a tag list's strings (nil for none, as most nodes have).
func internTags(tags []string) []string {
	if len(tags) == 0 {
		return nil
	}
	out := make([]string, len(tags))
	for i, t := range tags {
		out[i] = unique.Make(t).Value()
	}
	return out
}
