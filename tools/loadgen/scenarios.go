// SPDX-License-Identifier: Apache-2.0

package main

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"time"
)

// errConverge is a client that never saw a change: the run fails with the exact count.
var errConverge = errors.New("not converged")

// register logs every node in with the pre-auth key, at most f.conc at a time.
func (f *fleet) register(ctx context.Context) error {
	p := f.begin("register")
	defer f.end(p)
	errs := newErrorCounts()
	var mu sync.Mutex
	var lat []time.Duration
	sem := make(chan struct{}, f.conc)
	var wg sync.WaitGroup
	start := time.Now()
	for _, n := range f.nodes {
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			t := time.Now()
			err := n.register(ctx)
			d := time.Since(t)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				f.failed[n.idx] = true
				errs.add("register", err)
				return
			}
			lat = append(lat, d)
		}()
	}
	wg.Wait()
	took := time.Since(start)
	f.registered = true
	p.Latency["TryLogin"] = distOf(lat)
	p.Failures = errs.snapshot()
	for k, v := range errs.example {
		p.Notes = append(p.Notes, fmt.Sprintf("example %s: %s", k, v))
	}
	rate := float64(len(lat)) / took.Seconds()
	p.Metrics["registered"] = len(lat)
	p.Metrics["failed"] = len(f.failed)
	p.Metrics["concurrency"] = f.conc
	p.Metrics["registrations per second"] = fmt.Sprintf("%.1f", rate)
	p.Metrics["headline"] = fmt.Sprintf("%d registered in %.1f s (%.1f/s), TryLogin p95 %.2f s, %d failed",
		len(lat), took.Seconds(), rate, p.Latency["TryLogin"].P95, len(f.failed))
	if len(lat) == 0 {
		return fmt.Errorf("no node could register: %v", p.Failures)
	}
	return f.learnIDs(ctx)
}

// awaitReady arms a watch for every active node having a full map with all its peers online, runs start, and
// waits. It reports the latencies under `label` and fails with the exact number of clients that never got there.
func (f *fleet) awaitReady(p *phase, label string, start func()) (outcome, error) {
	expected := f.activeCount() - 1
	before := f.counters()
	w := f.arm(ready(expected), f.active)
	began := time.Now()
	start()
	o := f.wait(w, f.connectDeadline)
	p.Latency[label] = distOf(o.latencies)
	// how long the server took to answer at all, apart from how long until every peer showed up online
	var first []time.Duration
	for _, n := range f.nodes {
		if f.active(n) {
			n.mu.Lock()
			if !n.firstAt.IsZero() {
				first = append(first, n.firstAt.Sub(began))
			}
			n.mu.Unlock()
		}
	}
	p.Latency["first map message"] = distOf(first)
	f.perNode(p, before)
	p.Metrics["expected peers online"] = expected
	p.Metrics["clients without a complete map"] = len(o.missing)
	p.Metrics["headline"] = fmt.Sprintf("%d/%d complete, max %.2f s, p50 %.2f s", len(o.latencies), o.watched,
		p.Latency[label].Max, p.Latency[label].P50)
	if len(o.missing) > 0 {
		return o, fmt.Errorf("%w: %s: %d of %d clients did not see all %d peers online within %s: %s", errConverge,
			p.Name, len(o.missing), o.watched, expected, f.connectDeadline, describe(o.missing))
	}
	return o, nil
}

func (f *fleet) ensureRegistered(ctx context.Context) error {
	if f.registered {
		return nil
	}
	return f.register(ctx)
}

// connect starts every node's map stream at once and times each one's first complete map.
func (f *fleet) connect(ctx context.Context) error {
	if err := f.ensureRegistered(ctx); err != nil {
		return err
	}
	p := f.begin("connect")
	defer f.end(p)
	_, err := f.awaitReady(p, "first complete map", func() {
		for _, n := range f.nodes {
			if f.active(n) {
				n.startPoll()
			}
		}
	})
	// without an API key the ids come from the maps; with one, this fills any the API did not list
	f.learnIDs(ctx)
	return err
}

func (f *fleet) ensureConnected(ctx context.Context) error {
	if err := f.ensureRegistered(ctx); err != nil {
		return err
	}
	for _, n := range f.nodes {
		if f.active(n) && !n.isPolling() {
			return f.connect(ctx)
		}
	}
	return nil
}

// storm: every client cancels its map stream and opens a new one at once.
func (f *fleet) storm(ctx context.Context) error {
	return f.stormOf(ctx, "storm", f.active)
}

// stormOf: the selected clients cancel their map streams and open new ones at once; then every client must have a
// complete map again (the others have seen them go and come back).
func (f *fleet) stormOf(ctx context.Context, name string, sel func(*Node) bool) error {
	if err := f.ensureConnected(ctx); err != nil {
		return err
	}
	p := f.begin(name)
	defer f.end(p)
	chosen := map[*Node]bool{}
	for _, n := range f.nodes {
		if f.active(n) && sel(n) {
			chosen[n] = true
		}
	}
	p.Metrics["clients reconnecting"] = len(chosen)
	f.parallel(func(n *Node) bool { return chosen[n] }, (*Node).stopPoll)
	_, err := f.awaitReady(p, "complete map again", func() {
		for n := range chosen {
			n.startPoll()
		}
	})
	return err
}

// change makes one admin change and waits until every watched client shows it.
func (f *fleet) change(p *phase, label string, pred predicate, watched func(*Node) bool, do func() error) (outcome, error) {
	w := f.arm(pred, watched)
	if err := do(); err != nil {
		f.env.watch.CompareAndSwap(w, nil)
		return outcome{}, err
	}
	o := f.wait(w, f.deadline)
	p.Latency[label] = distOf(o.latencies)
	if len(o.missing) > 0 {
		return o, fmt.Errorf("%w: %s: %d of %d clients missing the change after %s: %s", errConverge, p.Name,
			len(o.missing), o.watched, f.deadline, describe(o.missing))
	}
	return o, nil
}

// target is the i-th active node with a known server id.
func (f *fleet) target(i int) (*Node, error) {
	for _, n := range f.nodes {
		if f.active(n) && n.id.Load() != 0 {
			if i == 0 {
				return n, nil
			}
			i--
		}
	}
	return nil, errors.New("not enough nodes with a known server id (is -api-key given?)")
}

func (f *fleet) needAdmin(what string) error {
	if f.admin == nil {
		return fmt.Errorf("%s needs -api-key (admin changes go through the REST API)", what)
	}
	return nil
}

// fanout renames one node `rounds` times; each round waits for every other connected client to see the name.
func (f *fleet) fanout(ctx context.Context, rounds int) error {
	if err := f.needAdmin("fanout"); err != nil {
		return err
	}
	if err := f.ensureConnected(ctx); err != nil {
		return err
	}
	p := f.begin("fanout")
	defer f.end(p)
	t, err := f.target(0)
	if err != nil {
		return err
	}
	var all []time.Duration
	missed := 0
	for r := 1; r <= rounds; r++ {
		name := fmt.Sprintf("lg-%s-fan-%d", f.env.runID, r)
		label := fmt.Sprintf("round %d", r)
		o, err := f.change(p, label, named(t.id.Load(), name),
			func(n *Node) bool { return f.active(n) && n != t && n.isPolling() },
			func() error { return f.admin.rename(ctx, t.id.Load(), name) })
		if err != nil && !errors.Is(err, errConverge) {
			return err
		}
		all = append(all, o.latencies...)
		missed += len(o.missing)
		p.Metrics[label+" never saw it"] = len(o.missing)
		time.Sleep(time.Second)
	}
	d := distOf(all)
	p.Latency["all rounds"] = d
	p.Metrics["client-rounds that never saw the change"] = missed
	p.Metrics["headline"] = fmt.Sprintf("%d rounds: p50 %.2f s, p99 %.2f s, max %.2f s, %d missed", rounds, d.P50, d.P99, d.Max, missed)
	return nil
}

// churn: each round a fraction of the nodes leaves, a change fans out to those still connected, and the leavers
// come back.
func (f *fleet) churn(ctx context.Context, rounds int, frac float64) error {
	if err := f.needAdmin("churn"); err != nil {
		return err
	}
	if err := f.ensureConnected(ctx); err != nil {
		return err
	}
	p := f.begin("churn")
	defer f.end(p)
	t, err := f.target(0)
	if err != nil {
		return err
	}
	var fan, rejoin []time.Duration
	missed, notBack := 0, 0
	for r := 1; r <= rounds; r++ {
		leave := map[*Node]bool{}
		for _, n := range f.nodes {
			if f.active(n) && n != t && rand.Float64() < frac {
				leave[n] = true
			}
		}
		f.parallel(func(n *Node) bool { return leave[n] }, (*Node).stopPoll)
		name := fmt.Sprintf("lg-%s-churn-%d", f.env.runID, r)
		o, err := f.change(p, fmt.Sprintf("round %d fan-out", r), named(t.id.Load(), name),
			func(n *Node) bool { return f.active(n) && n != t && !leave[n] },
			func() error { return f.admin.rename(ctx, t.id.Load(), name) })
		if err != nil && !errors.Is(err, errConverge) {
			return err
		}
		fan = append(fan, o.latencies...)
		missed += len(o.missing)
		back, err := f.awaitReady(p, fmt.Sprintf("round %d rejoin", r), func() {
			for n := range leave {
				n.startPoll()
			}
		})
		if err != nil && !errors.Is(err, errConverge) {
			return err
		}
		rejoin = append(rejoin, back.took)
		notBack += len(back.missing)
		p.Metrics[fmt.Sprintf("round %d left", r)] = len(leave)
	}
	fd := distOf(fan)
	p.Latency["fan-out while churning"] = fd
	p.Latency["whole fleet complete again after rejoin"] = distOf(rejoin)
	p.Metrics["client-rounds that never saw the change"] = missed
	p.Metrics["client-rounds not complete after rejoin"] = notBack
	p.Metrics["headline"] = fmt.Sprintf("%d rounds of %.0f%%: fan-out p99 %.2f s, %d missed, %d not complete after rejoin",
		rounds, frac*100, fd.P99, missed, notBack)
	return nil
}

// idle holds every node connected with nothing changing and reports memory and CPU.
func (f *fleet) idle(ctx context.Context, d time.Duration) error {
	if err := f.ensureConnected(ctx); err != nil {
		return err
	}
	p := f.begin("idle")
	defer f.end(p)
	before := f.counters()
	var ka0 int64
	for _, n := range f.nodes {
		ka0 += n.keepAlives.Load()
	}
	time.Sleep(d)
	var ka1 int64
	for _, n := range f.nodes {
		ka1 += n.keepAlives.Load()
	}
	f.perNode(p, before)
	heap, gor := memPerNode(f.activeCount())
	p.Metrics["generator heap per node"] = fmt.Sprintf("%.0f KB", heap)
	p.Metrics["generator goroutines per node"] = fmt.Sprintf("%.1f", gor)
	p.Metrics["keep-alives received (light mode)"] = ka1 - ka0
	p.Metrics["headline"] = fmt.Sprintf("%s idle, generator heap %.0f KB/node", d, heap)
	return nil
}

// converge checks that every connected client converges on every change: connect, then `storms` times a
// reconnect storm followed by a rename, then a tag and a deletion.
func (f *fleet) converge(ctx context.Context, tag string, storms int) error {
	if err := f.needAdmin("converge"); err != nil {
		return err
	}
	if err := f.ensureRegistered(ctx); err != nil {
		return err
	}
	if len(f.failed) > 0 {
		return fmt.Errorf("converge: %d of %d nodes failed to register", len(f.failed), len(f.nodes))
	}
	if err := f.connect(ctx); err != nil {
		return err
	}
	renamed, err := f.target(0)
	if err != nil {
		return err
	}
	// a reconnect storm is where a client can silently lose its stream's updates, so each storm is followed by a
	// change every client must see
	for r := 1; r <= storms; r++ {
		// odd rounds reconnect every client; even rounds a few (2%, at least 2), which at any fleet size is the
		// quick close-and-reopen that small fleets lose updates on
		var err error
		if r%2 == 1 {
			err = f.stormOf(ctx, fmt.Sprintf("converge: storm %d (all)", r), f.active)
		} else {
			k := max(2, f.activeCount()/50)
			picked := map[*Node]bool{}
			for _, i := range rand.Perm(len(f.nodes)) {
				if n := f.nodes[i]; len(picked) < k && f.active(n) && n != renamed {
					picked[n] = true
				}
			}
			err = f.stormOf(ctx, fmt.Sprintf("converge: storm %d (%d clients)", r, k), func(n *Node) bool { return picked[n] })
		}
		if err != nil {
			return err
		}
		p := f.begin(fmt.Sprintf("converge: rename after storm %d", r))
		name := fmt.Sprintf("lg-%s-renamed-%d", f.env.runID, r)
		_, err = f.change(p, "saw the new name", named(renamed.id.Load(), name),
			func(n *Node) bool { return f.active(n) && n != renamed },
			func() error { return f.admin.rename(ctx, renamed.id.Load(), name) })
		p.Metrics["headline"] = p.Latency["saw the new name"].String()
		f.end(p)
		if err != nil {
			return err
		}
	}

	tagged_, err := f.target(1)
	if err != nil {
		return err
	}
	p := f.begin("converge: tag")
	_, err = f.change(p, "saw the tag", tagged(tagged_.id.Load(), tag),
		func(n *Node) bool { return f.active(n) && n != tagged_ },
		func() error { return f.admin.setTags(ctx, tagged_.id.Load(), []string{tag}) })
	p.Metrics["headline"] = p.Latency["saw the tag"].String()
	f.end(p)
	if err != nil {
		return err
	}

	doomed, err := f.target(2)
	if err != nil {
		return err
	}
	p = f.begin("converge: delete")
	doomed.stopPoll()
	f.deleted[doomed.idx] = true
	if err := f.learnIDs(ctx); err != nil {
		return err
	}
	expected := f.activeCount() - 1
	_, err = f.change(p, "saw the node gone", gone(doomed.id.Load(), f.inFleet, expected), f.active,
		func() error { return f.admin.deleteNode(ctx, doomed.id.Load()) })
	p.Metrics["expected peers"] = expected
	p.Metrics["headline"] = p.Latency["saw the node gone"].String()
	f.end(p)
	return err
}
