// SPDX-License-Identifier: Apache-2.0

package main

import (
	"encoding/json"
	"fmt"
	"os"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// dist is a latency distribution in seconds.
type dist struct {
	Count int     `json:"count"`
	P50   float64 `json:"p50_s"`
	P95   float64 `json:"p95_s"`
	P99   float64 `json:"p99_s"`
	Max   float64 `json:"max_s"`
}

func distOf(ds []time.Duration) dist {
	if len(ds) == 0 {
		return dist{}
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	q := func(p float64) float64 {
		i := int(p*float64(len(s))+0.999999) - 1
		return s[max(0, min(i, len(s)-1))].Seconds()
	}
	return dist{Count: len(s), P50: q(0.50), P95: q(0.95), P99: q(0.99), Max: s[len(s)-1].Seconds()}
}

func (d dist) String() string {
	if d.Count == 0 {
		return "-"
	}
	return fmt.Sprintf("p50 %.2f s, p95 %.2f s, p99 %.2f s, max %.2f s (n=%d)", d.P50, d.P95, d.P99, d.Max, d.Count)
}

// procUsage is a process's use over a phase, read from /proc.
type procUsage struct {
	CPUSeconds  float64 `json:"cpu_s"`
	RSSPeakMB   float64 `json:"rss_peak_mb"`
	RSSEndMB    float64 `json:"rss_end_mb"`
	ThreadsPeak int     `json:"threads_peak"`
}

type procSample struct {
	at      time.Time
	cpu     float64 // seconds
	rssKB   int64
	threads int
	ok      bool
}

// clkTck is USER_HZ, 100 on every Linux this runs on.
const clkTck = 100.0

// statFields is /proc/PID/stat after the command name (which is in parentheses and may contain spaces):
// f[1] is the parent's pid, f[11] to f[14] utime, stime, cutime and cstime in clock ticks.
func statFields(pid int) []string {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return nil
	}
	rest := string(b)
	if i := strings.LastIndexByte(rest, ')'); i >= 0 && i+2 <= len(rest) {
		rest = rest[i+2:]
	}
	if f := strings.Fields(rest); len(f) >= 15 {
		return f
	}
	return nil
}

func ticks(f []string, from, to int) float64 {
	sum := 0.0
	for i := from; i <= to; i++ {
		v, _ := strconv.ParseFloat(f[i], 64)
		sum += v
	}
	return sum / clkTck
}

// statusKB is a "Name:   123 kB" line of a /proc file (status, smaps_rollup).
func statusKB(path, name string) (int64, bool) {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0, false
	}
	for _, line := range strings.Split(string(b), "\n") {
		if k, v, ok := strings.Cut(line, ":"); ok && k == name {
			if fs := strings.Fields(v); len(fs) > 0 {
				n, err := strconv.ParseInt(fs[0], 10, 64)
				return n, err == nil
			}
		}
	}
	return 0, false
}

func readProc(pid int) procSample {
	s := procSample{at: time.Now()}
	f := statFields(pid)
	if f == nil {
		return s
	}
	s.cpu = ticks(f, 11, 12)
	status := fmt.Sprintf("/proc/%d/status", pid)
	var ok bool
	if s.rssKB, ok = statusKB(status, "VmRSS"); !ok {
		return s
	}
	threads, _ := statusKB(status, "Threads")
	s.threads = int(threads)
	s.ok = true
	return s
}

// readProcTree samples a process that works through children, as PostgreSQL's postmaster does with
// one backend per connection: CPU of the process and its children, with what finished children
// used (the parent's cutime and cstime once it has reaped them); memory as the sum of their PSS,
// which shares the common buffers out instead of counting them once per backend; "threads" is
// the number of processes.
func readProcTree(pid int) procSample {
	s := procSample{at: time.Now()}
	f := statFields(pid)
	if f == nil {
		return s
	}
	pids := []int{pid}
	s.cpu = ticks(f, 11, 14)
	entries, _ := os.ReadDir("/proc")
	parent := strconv.Itoa(pid)
	for _, e := range entries {
		child, err := strconv.Atoi(e.Name())
		if err != nil || child == pid {
			continue
		}
		if cf := statFields(child); cf != nil && cf[1] == parent {
			s.cpu += ticks(cf, 11, 14)
			pids = append(pids, child)
		}
	}
	for _, p := range pids {
		pss, _ := statusKB(fmt.Sprintf("/proc/%d/smaps_rollup", p), "Pss")
		s.rssKB += pss
	}
	s.threads = len(pids)
	s.ok = true
	return s
}

// sampler reads /proc for the server and its database (if known) and this generator once a second.
type sampler struct {
	pids    map[string]int
	trees   map[string]int
	mu      sync.Mutex
	samples map[string][]procSample
	stop    chan struct{}
}

func newSampler(serverPID, dbPID int) *sampler {
	s := &sampler{pids: map[string]int{"generator": os.Getpid()}, trees: map[string]int{}, samples: map[string][]procSample{},
		stop: make(chan struct{})}
	if serverPID > 0 {
		s.pids["server"] = serverPID
	}
	if dbPID > 0 {
		s.trees["database"] = dbPID
	}
	go func() {
		t := time.NewTicker(time.Second)
		defer t.Stop()
		for {
			select {
			case <-s.stop:
				return
			case <-t.C:
				s.sample()
			}
		}
	}()
	return s
}

func (s *sampler) sample() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for name, pid := range s.pids {
		if p := readProc(pid); p.ok {
			s.samples[name] = append(s.samples[name], p)
		}
	}
	for name, pid := range s.trees {
		if p := readProcTree(pid); p.ok {
			s.samples[name] = append(s.samples[name], p)
		}
	}
}

// usage is each process's CPU and memory between from and now (a sample is taken now). The baseline is the last
// sample taken at or before from (a phase takes one as it begins): an earlier one would count the end of the
// phase before as this one's too, a second or two of CPU that made short phases look costly.
func (s *sampler) usage(from time.Time) map[string]procUsage {
	s.sample()
	s.mu.Lock()
	defer s.mu.Unlock()
	out := map[string]procUsage{}
	for name, ss := range s.samples {
		var base *procSample
		u := procUsage{}
		for i := range ss {
			p := &ss[i]
			if p.at.After(from) {
				if base == nil {
					base = p
				}
			} else {
				base = p
				u = procUsage{}
			}
			u.RSSPeakMB = max(u.RSSPeakMB, float64(p.rssKB)/1024)
			u.ThreadsPeak = max(u.ThreadsPeak, p.threads)
		}
		if base == nil {
			continue
		}
		last := ss[len(ss)-1]
		u.CPUSeconds = last.cpu - base.cpu
		u.RSSEndMB = float64(last.rssKB) / 1024
		out[name] = u
	}
	return out
}

// phase is one scenario's (or one step's) result.
type phase struct {
	Name     string               `json:"name"`
	Seconds  float64              `json:"seconds"`
	Metrics  map[string]any       `json:"metrics"`
	Latency  map[string]dist      `json:"latency,omitempty"`
	Failures map[string]int       `json:"failures,omitempty"`
	Usage    map[string]procUsage `json:"usage"`
	Notes    []string             `json:"notes,omitempty"`
	started  time.Time
}

type report struct {
	Server     string    `json:"server"`
	Mode       string    `json:"mode"`
	Nodes      int       `json:"nodes"`
	Started    time.Time `json:"started"`
	GoMaxProcs int       `json:"gomaxprocs"`
	Phases     []*phase  `json:"phases"`
	Failed     string    `json:"failed,omitempty"`
	// PollErrors counts map streams that ended other than by the generator cancelling them, by kind.
	PollErrors map[string]int `json:"poll_errors,omitempty"`
	// FramesCached and FramesDecoded: large zstd frames the light clients took from the generator's cache of
	// frames seen before, and those they decoded (framecache.go).
	FramesCached  int64 `json:"frames_cached,omitempty"`
	FramesDecoded int64 `json:"frames_decoded,omitempty"`
}

func (r *report) writeJSON(path string) error {
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o644)
}

func (r *report) markdown() string {
	var b strings.Builder
	fmt.Fprintf(&b, "# Load run: %d nodes, %s mode\n\n", r.Nodes, r.Mode)
	fmt.Fprintf(&b, "Server %s, started %s, generator GOMAXPROCS %d.\n\n", r.Server, r.Started.UTC().Format(time.RFC3339), r.GoMaxProcs)
	if r.FramesCached > 0 {
		fmt.Fprintf(&b, "Large map frames the light clients took from the generator's cache of frames already decoded: %d; decoded: %d.\n\n", r.FramesCached, r.FramesDecoded)
	}
	if r.Failed != "" {
		fmt.Fprintf(&b, "**FAILED:** %s\n\n", r.Failed)
	}
	// the database's columns only when it was sampled (a server started by run.sh, or -db-pid given)
	withDB := false
	for _, p := range r.Phases {
		if _, ok := p.Usage["database"]; ok {
			withDB = true
		}
	}
	b.WriteString("| phase | took | result | server CPU-s | server RSS peak |")
	if withDB {
		b.WriteString(" database CPU-s | database PSS peak |")
	}
	b.WriteString(" generator CPU-s | generator RSS peak |\n|---|---|---|---|---|")
	if withDB {
		b.WriteString("---|---|")
	}
	b.WriteString("---|---|\n")
	used := func(p *phase, name string) string {
		u, ok := p.Usage[name]
		if !ok {
			return " - | - |"
		}
		return fmt.Sprintf(" %.1f | %.0f MB |", u.CPUSeconds, u.RSSPeakMB)
	}
	for _, p := range r.Phases {
		fmt.Fprintf(&b, "| %s | %.1f s | %s |%s", p.Name, p.Seconds, headline(p), used(p, "server"))
		if withDB {
			b.WriteString(used(p, "database"))
		}
		b.WriteString(used(p, "generator") + "\n")
	}
	if len(r.PollErrors) > 0 {
		b.WriteString("\nMap streams that failed (whole run):\n\n")
		for _, k := range sortedKeys(r.PollErrors) {
			fmt.Fprintf(&b, "- %s: %d\n", k, r.PollErrors[k])
		}
	}
	for _, p := range r.Phases {
		fmt.Fprintf(&b, "\n## %s\n\n", p.Name)
		for _, k := range sortedKeys(p.Latency) {
			fmt.Fprintf(&b, "- %s: %s\n", k, p.Latency[k])
		}
		for _, k := range sortedKeys(p.Metrics) {
			fmt.Fprintf(&b, "- %s: %v\n", k, p.Metrics[k])
		}
		for _, k := range sortedKeys(p.Failures) {
			fmt.Fprintf(&b, "- failure %s: %d\n", k, p.Failures[k])
		}
		for _, n := range p.Notes {
			fmt.Fprintf(&b, "- %s\n", n)
		}
	}
	return b.String()
}

// headline is the one figure of a phase that the summary table shows.
func headline(p *phase) string {
	if h, ok := p.Metrics["headline"].(string); ok {
		return h
	}
	return ""
}

func sortedKeys[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// memPerNode is the generator's Go heap and goroutines per simulated node.
func memPerNode(n int) (heapKB float64, goroutines float64) {
	var ms runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&ms)
	return float64(ms.HeapInuse) / 1024 / float64(max(n, 1)), float64(runtime.NumGoroutine()) / float64(max(n, 1))
}
