// SPDX-License-Identifier: Apache-2.0

package main

import (
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// predicate says whether a client's view shows the change being waited for.
type predicate func(v view, haveFull bool) bool

// watch waits for one change to reach every watched client. Each client is checked when a map message changed
// its view (so the time recorded is when the message was applied, not when someone looked), and once when the
// watch is armed.
type watch struct {
	start     time.Time
	pred      predicate
	member    []bool
	seen      []atomic.Int64 // nanoseconds after start, 0 while not seen
	remaining atomic.Int64
	done      chan struct{}
	closeOnce sync.Once
}

// arm makes w the fleet's current watch, then checks every watched node's present view.
func (f *fleet) arm(pred predicate, watched func(n *Node) bool) *watch {
	w := &watch{start: time.Now(), pred: pred, member: make([]bool, len(f.nodes)),
		seen: make([]atomic.Int64, len(f.nodes)), done: make(chan struct{})}
	count := 0
	for i, n := range f.nodes {
		if watched(n) {
			w.member[i] = true
			count++
		}
	}
	w.remaining.Store(int64(count))
	if count == 0 {
		close(w.done)
	}
	f.env.watch.Store(w)
	for i, n := range f.nodes {
		if w.member[i] {
			n.mu.Lock()
			var v view = emptyView{}
			if n.light != nil {
				v = n.light
			} else if n.full != nil {
				v = n.full
			}
			w.observe(n, v, n.haveFull)
			n.mu.Unlock()
		}
	}
	return w
}

// observe is called with n.mu held.
func (w *watch) observe(n *Node, v view, haveFull bool) {
	if !w.member[n.idx] || w.seen[n.idx].Load() != 0 || !w.pred(v, haveFull) {
		return
	}
	w.seen[n.idx].Store(max(int64(time.Since(w.start)), 1))
	if w.remaining.Add(-1) == 0 {
		w.closeOnce.Do(func() { close(w.done) })
	}
}

// outcome is what a watch found: the latency of every client that saw the change, and those that did not.
type outcome struct {
	latencies []time.Duration
	missing   []*Node
	watched   int
	took      time.Duration
}

// wait blocks until every watched client saw the change or the deadline passed, then disarms the watch.
func (f *fleet) wait(w *watch, deadline time.Duration) outcome {
	select {
	case <-w.done:
	case <-time.After(deadline):
	}
	f.env.watch.CompareAndSwap(w, nil)
	o := outcome{took: time.Since(w.start)}
	for i, n := range f.nodes {
		if !w.member[i] {
			continue
		}
		o.watched++
		if s := w.seen[i].Load(); s != 0 {
			o.latencies = append(o.latencies, time.Duration(s))
		} else {
			o.missing = append(o.missing, n)
		}
	}
	slices.Sort(o.latencies)
	if len(o.missing) == 0 && len(o.latencies) > 0 {
		o.took = o.latencies[len(o.latencies)-1]
	}
	return o
}

func ready(expected int) predicate {
	return func(v view, haveFull bool) bool { return haveFull && v.onlineCount() >= expected }
}

func named(id int64, name string) predicate {
	return func(v view, _ bool) bool {
		p, ok := v.peer(id)
		return ok && (p.Name == name || strings.HasPrefix(p.Name, name+"."))
	}
}

func tagged(id int64, tag string) predicate {
	return func(v view, _ bool) bool {
		p, ok := v.peer(id)
		return ok && slices.Contains(p.Tags, tag)
	}
}

// gone: the peer is no longer listed and exactly `expected` of the fleet's peers are.
func gone(id int64, inFleet func(int64) bool, expected int) predicate {
	return func(v view, _ bool) bool {
		if _, ok := v.peer(id); ok {
			return false
		}
		c := 0
		for _, pid := range v.ids() {
			if inFleet(pid) {
				c++
			}
		}
		return c == expected
	}
}
