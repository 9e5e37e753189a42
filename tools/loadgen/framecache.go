// SPDX-License-Identifier: Apache-2.0

package main

import (
	"bytes"
	"hash/maphash"
	"slices"
	"sync"
	"sync/atomic"

	"tailscale.com/util/zstdframe"
)

// A server may send a large map as several zstd frames and the same frame to many streams (Ledgerscale compresses
// a run of shared peer entries once). Each light client would decode it again; the generator's core then limits a
// run of thousands of nodes, not the server. The light client therefore decodes a frame it has seen before from
// this cache: same compressed bytes, same content, so what a client reads is unchanged. Against a server that
// sends one frame a message nothing hits and nothing changes. The full client decodes every frame itself, as
// tailscaled does.
var decodedFrames = newFrameCache()

// minCachedFrame: smaller frames (deltas, keep-alives) are decoded at once, not looked up.
const minCachedFrame = 1 << 10

// expansion: a map's JSON is about five times its zstd frames.
const expansion = 6

// maxCachedBytes bounds what the cache holds, compressed and decoded; past it the cache starts over.
const maxCachedBytes = 64 << 20

type cachedFrame struct {
	compressed, plain []byte
	// what a scan found in plain when it began at an item of a peer list: the entries, if plain is exactly
	// entries each followed by a comma (Ledgerscale's runs of shared peers), so later scans take them as they are
	entries atomic.Pointer[frameEntries]
}

type frameEntries struct {
	nodes []lightNode
	whole bool // plain is nodes and a comma after each, nothing more
}

// decodedFrame is where a cached frame's plain bytes start in what appendDecoded wrote.
type decodedFrame struct {
	at int
	f  *cachedFrame
}

type frameCache struct {
	seed   maphash.Seed // set once; hashing needs no lock
	mu     sync.Mutex
	byHash map[uint64][]*cachedFrame
	bytes  int
	hits   int64
	misses int64
}

func newFrameCache() *frameCache {
	return &frameCache{seed: maphash.MakeSeed(), byHash: map[uint64][]*cachedFrame{}}
}

// appendDecoded decodes every frame of payload onto dst, as zstd's DecodeAll would, and answers where each frame
// found in or added to the cache begins (onto frames).
func (c *frameCache) appendDecoded(dst, payload []byte, frames []decodedFrame) ([]byte, []decodedFrame, error) {
	// room for what maps usually decode to, grown once rather than frame after frame
	dst = slices.Grow(dst, expansion*len(payload))
	for len(payload) > 0 {
		n, err := zstdframe.NextSize(payload)
		if err != nil {
			return dst, frames, err
		}
		frame := payload[:n]
		payload = payload[n:]
		if n < minCachedFrame {
			if dst, err = zstdframe.AppendDecode(dst, frame); err != nil {
				return dst, frames, err
			}
			continue
		}
		h := maphash.Bytes(c.seed, frame)
		if f := c.find(h, frame); f != nil {
			frames = append(frames, decodedFrame{len(dst), f})
			dst = append(dst, f.plain...)
			continue
		}
		at := len(dst)
		if dst, err = zstdframe.AppendDecode(dst, frame); err != nil {
			return dst, frames, err
		}
		frames = append(frames, decodedFrame{at, c.keep(h, frame, dst[at:])})
	}
	return dst, frames, nil
}

func (c *frameCache) find(h uint64, frame []byte) *cachedFrame {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, f := range c.byHash[h] {
		if bytes.Equal(f.compressed, frame) {
			c.hits++
			return f
		}
	}
	c.misses++
	return nil
}

func (c *frameCache) keep(h uint64, frame, plain []byte) *cachedFrame {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.bytes+len(frame)+len(plain) > maxCachedBytes {
		c.byHash = map[uint64][]*cachedFrame{}
		c.bytes = 0
	}
	f := &cachedFrame{compressed: bytes.Clone(frame), plain: bytes.Clone(plain)}
	c.byHash[h] = append(c.byHash[h], f)
	c.bytes += len(frame) + len(plain)
	return f
}

// counts answers how many frames were found and how many decoded.
func (c *frameCache) counts() (hits, misses int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.hits, c.misses
}
