// SPDX-License-Identifier: Apache-2.0

package main

import (
	"testing"
	"time"
)

func TestAPhaseCountsCPUFromTheLastSampleAtOrBeforeItsStart(t *testing.T) {
	t0 := time.Now()
	at := func(s float64) time.Time { return t0.Add(time.Duration(s * float64(time.Second))) }
	s := &sampler{pids: map[string]int{}, trees: map[string]int{}, samples: map[string][]procSample{
		"server": {
			{at: at(0), cpu: 10, rssKB: 900 << 10, ok: true},
			{at: at(1), cpu: 11, rssKB: 100 << 10, ok: true},
			{at: at(1.9), cpu: 11.9, rssKB: 200 << 10, ok: true}, // taken as the phase began
			{at: at(2.5), cpu: 12.4, rssKB: 300 << 10, ok: true},
			{at: at(3.5), cpu: 13.0, rssKB: 250 << 10, ok: true},
		},
	}}
	u := s.usage(at(1.95))["server"]
	if u.CPUSeconds < 1.099 || u.CPUSeconds > 1.101 {
		t.Errorf("CPU %.3f s, want 1.1 (13.0 since the sample at the phase's start, 11.9)", u.CPUSeconds)
	}
	if u.RSSPeakMB != 300 || u.RSSEndMB != 250 {
		t.Errorf("RSS peak %.0f MB, end %.0f MB; want 300 and 250 (nothing from before the phase)", u.RSSPeakMB, u.RSSEndMB)
	}
	if first := s.usage(at(-1))["server"]; first.CPUSeconds != 3 {
		t.Errorf("with no sample before the phase, CPU %.1f s, want 3 (from its first sample)", first.CPUSeconds)
	}
}
