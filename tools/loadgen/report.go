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

func readProc(pid int) procSample {
	s := procSample{at: time.Now()}
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return s
	}
	// fields after the command name, which is in parentheses and may contain spaces
	rest := string(b)
	if i := strings.LastIndexByte(rest, ')'); i >= 0 {
		rest = rest[i+2:]
	}
	f := strings.Fields(rest)
	if len(f) < 13 {
		return s
	}
	ut, _ := strconv.ParseFloat(f[11], 64)
	st, _ := strconv.ParseFloat(f[12], 64)
	s.cpu = (ut + st) / clkTck
	st2, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return s
	}
	for _, line := range strings.Split(string(st2), "\n") {
		k, v, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		fs := strings.Fields(v)
		if len(fs) == 0 {
			continue
		}
		switch k {
		case "VmRSS":
			s.rssKB, _ = strconv.ParseInt(fs[0], 10, 64)
		case "Threads":
			s.threads, _ = strconv.Atoi(fs[0])
		}
	}
	s.ok = true
	return s
}

// sampler reads /proc for the server (if known) and this generator once a second.
type sampler struct {
	pids    map[string]int
	mu      sync.Mutex
	samples map[string][]procSample
	stop    chan struct{}
}

func newSampler(serverPID int) *sampler {
	s := &sampler{pids: map[string]int{"generator": os.Getpid()}, samples: map[string][]procSample{}, stop: make(chan struct{})}
	if serverPID > 0 {
		s.pids["server"] = serverPID
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
}

// usage is each process's CPU and memory between from and now (a sample is taken now).
func (s *sampler) usage(from time.Time) map[string]procUsage {
	s.sample()
	s.mu.Lock()
	defer s.mu.Unlock()
	out := map[string]procUsage{}
	for name, ss := range s.samples {
		var first *procSample
		u := procUsage{}
		for i := range ss {
			p := &ss[i]
			if p.at.Before(from.Add(-time.Second)) {
				continue
			}
			if first == nil {
				// the last sample before the phase, if there is one, is its baseline
				if i > 0 {
					first = &ss[i-1]
				} else {
					first = p
				}
			}
			u.RSSPeakMB = max(u.RSSPeakMB, float64(p.rssKB)/1024)
			u.ThreadsPeak = max(u.ThreadsPeak, p.threads)
		}
		if first == nil {
			continue
		}
		last := ss[len(ss)-1]
		u.CPUSeconds = last.cpu - first.cpu
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
	if r.Failed != "" {
		fmt.Fprintf(&b, "**FAILED:** %s\n\n", r.Failed)
	}
	b.WriteString("| phase | took | result | server CPU-s | server RSS peak | generator CPU-s | generator RSS peak |\n")
	b.WriteString("|---|---|---|---|---|---|---|\n")
	for _, p := range r.Phases {
		srv, gen := p.Usage["server"], p.Usage["generator"]
		srvCPU, srvRSS := "-", "-"
		if _, ok := p.Usage["server"]; ok {
			srvCPU, srvRSS = fmt.Sprintf("%.1f", srv.CPUSeconds), fmt.Sprintf("%.0f MB", srv.RSSPeakMB)
		}
		fmt.Fprintf(&b, "| %s | %.1f s | %s | %s | %s | %.1f | %.0f MB |\n", p.Name, p.Seconds, headline(p),
			srvCPU, srvRSS, gen.CPUSeconds, gen.RSSPeakMB)
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
