// SPDX-License-Identifier: Apache-2.0

package main

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"
)

// fleet is the N simulated nodes and the run's report.
type fleet struct {
	env      *env
	n        int
	conc     int
	nodes    []*Node
	admin    *admin
	rep      *report
	smp      *sampler
	deadline time.Duration
	// connectDeadline bounds waiting for complete maps (connect, storm, rejoin), which takes longer than a change
	connectDeadline time.Duration

	registered bool
	failed     map[int]bool // nodes whose registration failed
	deleted    map[int]bool // nodes deleted on the server
	byID       map[int64]*Node
}

func (f *fleet) begin(name string) *phase {
	f.smp.sample() // the phase's baseline
	p := &phase{Name: name, Metrics: map[string]any{}, Latency: map[string]dist{}, Failures: map[string]int{}, started: time.Now()}
	f.rep.Phases = append(f.rep.Phases, p)
	return p
}

func (f *fleet) end(p *phase) {
	p.Seconds = time.Since(p.started).Seconds()
	p.Usage = f.smp.usage(p.started)
	fmt.Fprintf(logOut, "%s: %.1f s %s\n", p.Name, p.Seconds, headline(p))
}

// active: registered and not deleted.
func (f *fleet) active(n *Node) bool { return f.registered && !f.failed[n.idx] && !f.deleted[n.idx] }

func (f *fleet) activeCount() int {
	c := 0
	for _, n := range f.nodes {
		if f.active(n) {
			c++
		}
	}
	return c
}

func (f *fleet) inFleet(id int64) bool {
	n, ok := f.byID[id]
	return ok && f.active(n)
}

// learnIDs finds each node's server id: from the admin API by hostname (waiting up to 30 s for the server's read
// side to list every node registered), else from the self node of its map.
func (f *fleet) learnIDs(ctx context.Context) error {
	if f.admin != nil {
		for wait := time.Now().Add(30 * time.Second); ; {
			nodes, err := f.admin.nodes(ctx)
			if err != nil {
				return err
			}
			byName := map[string]int64{}
			for _, an := range nodes {
				byName[an.Name] = int64(an.ID)
			}
			unknown := 0
			for _, n := range f.nodes {
				if id, ok := byName[n.hostname]; ok {
					n.id.Store(id)
				} else if f.active(n) && n.id.Load() == 0 {
					unknown++
				}
			}
			if unknown == 0 || time.Now().After(wait) {
				break
			}
			time.Sleep(500 * time.Millisecond)
		}
	}
	f.byID = map[int64]*Node{}
	for _, n := range f.nodes {
		if id := n.id.Load(); id != 0 {
			f.byID[id] = n
		}
	}
	return nil
}

// parallel runs fn for every node selected, all at once, and waits.
func (f *fleet) parallel(sel func(*Node) bool, fn func(*Node)) {
	var wg sync.WaitGroup
	for _, n := range f.nodes {
		if sel(n) {
			wg.Add(1)
			go func() { defer wg.Done(); fn(n) }()
		}
	}
	wg.Wait()
}

// describe names up to five clients that missed a change, with how long ago their stream last delivered anything.
func describe(missing []*Node) string {
	var parts []string
	for i, n := range missing {
		if i == 5 {
			parts = append(parts, "...")
			break
		}
		n.mu.Lock()
		age := "never"
		if !n.lastMsg.IsZero() {
			age = time.Since(n.lastMsg).Round(100*time.Millisecond).String() + " ago"
		}
		polling := n.polling
		peers, online := 0, 0
		var v view = emptyView{}
		if n.light != nil {
			v = n.light
		} else if n.full != nil {
			v = n.full
		}
		peers, online = len(v.ids()), v.onlineCount()
		n.mu.Unlock()
		parts = append(parts, fmt.Sprintf("node %d (%s, polling=%v, last map message %s, lists %d peers, %d online)",
			n.id.Load(), n.hostname, polling, age, peers, online))
	}
	return strings.Join(parts, "; ")
}

// msgBytes is a snapshot of every node's counters, so a phase can report what it cost per node.
type msgBytes struct{ msgs, bytes []int64 }

func (f *fleet) counters() msgBytes {
	c := msgBytes{msgs: make([]int64, len(f.nodes)), bytes: make([]int64, len(f.nodes))}
	for i, n := range f.nodes {
		c.msgs[i] = n.msgs.Load()
		c.bytes[i] = n.bytesIn.Load()
	}
	return c
}

// perNode puts the p50 and max per node of what the counters grew by since `before` into the phase.
func (f *fleet) perNode(p *phase, before msgBytes) {
	after := f.counters()
	var msgs, bytes []int64
	for i, n := range f.nodes {
		if !f.active(n) {
			continue
		}
		msgs = append(msgs, after.msgs[i]-before.msgs[i])
		bytes = append(bytes, after.bytes[i]-before.bytes[i])
	}
	if len(msgs) == 0 {
		return
	}
	slices.Sort(msgs)
	slices.Sort(bytes)
	mid, last := len(msgs)/2, len(msgs)-1
	p.Metrics["map messages per node (p50 / max)"] = fmt.Sprintf("%d / %d", msgs[mid], msgs[last])
	p.Metrics["bytes received per node (p50 / max)"] = fmt.Sprintf("%d KB / %d KB", bytes[mid]/1024, bytes[last]/1024)
}

func plural(n int, what string) string {
	if n == 1 {
		return fmt.Sprintf("1 %s", what)
	}
	return fmt.Sprintf("%d %ss", n, what)
}
