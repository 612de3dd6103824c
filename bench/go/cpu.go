// cpu.go — the Go baselines of bench/xthread.sh's CPU-bound cases, as a Go
// programmer would write them, with the arithmetic of bench/xthread.c (so
// the sums are the same as its chain1's, which xthread.sh checks).  A stage
// is W rounds of a dependent multiply-xorshift (W from `xthread calibrate`).
// chain: a source goroutine sends 0..N-1, four stage goroutines each receive,
// run one stage and send on, the main goroutine sums what the fourth sends;
// every channel has capacity Q.  par: a source goroutine sends 0..N-1 on one
// channel of capacity Q that two worker goroutines receive from, each running
// the four stages on its items and summing them; the main goroutine adds the
// two sums.  Run with GOMAXPROCS=2 (two cores) or 1 (the one-thread
// reference).  Output: the key=value line of bench/xthread.c: wall ns per
// item, the process's CPU ns per item (user + system: Go gives no CPU time
// per goroutine) as cpu_total, the sum, ok=1 when every item arrived.
// Built with `go build` from this one file.
//
//	cpu chain|par W Q N
package main

import (
	"fmt"
	"os"
	"strconv"
	"sync"
	"syscall"
	"time"
)

func num(s string) int64 {
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil || v < 1 {
		fmt.Fprintf(os.Stderr, "cpu: bad number: %s\n", s)
		os.Exit(2)
	}
	return v
}

// stage is bench/xthread.c's stage(): not vectorisable, not foldable.
func stage(x, w uint64) uint64 {
	for k := uint64(0); k < w; k++ {
		x = x*6364136223846793005 + 1442695040888963407
		x ^= x >> 29
	}
	return x
}

func source(n int64, out chan<- uint64) {
	for i := int64(0); i < n; i++ {
		out <- uint64(i)
	}
	close(out)
}

// chain: source -> 4 stages -> the main goroutine; returns the sum and count.
func chain(w uint64, q int, n int64) (uint64, int64) {
	in := make(chan uint64, q)
	go source(n, in)
	for s := 0; s < 4; s++ {
		out := make(chan uint64, q)
		go func(in <-chan uint64, out chan<- uint64) {
			for v := range in {
				out <- stage(v, w)
			}
			close(out)
		}(in, out)
		in = out
	}
	var sum uint64
	var got int64
	for v := range in {
		sum += v
		got++
	}
	return sum, got
}

// par: source -> one channel -> two workers, each summing the 4 stages.
func par(w uint64, q int, n int64) (uint64, int64) {
	in := make(chan uint64, q)
	go source(n, in)
	var sums [2]uint64
	var got [2]int64
	var wg sync.WaitGroup
	for k := 0; k < 2; k++ {
		wg.Add(1)
		go func(k int) {
			defer wg.Done()
			for v := range in {
				sums[k] += stage(stage(stage(stage(v, w), w), w), w)
				got[k]++
			}
		}(k)
	}
	wg.Wait()
	return sums[0] + sums[1], got[0] + got[1]
}

func cpuNs() float64 {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return float64(ru.Utime.Nano() + ru.Stime.Nano())
}

func main() {
	if len(os.Args) != 5 || (os.Args[1] != "chain" && os.Args[1] != "par") {
		fmt.Fprintln(os.Stderr, "usage: cpu chain|par W Q N")
		os.Exit(2)
	}
	w, q, n := uint64(num(os.Args[2])), int(num(os.Args[3])), num(os.Args[4])
	c0 := cpuNs()
	t0 := time.Now()
	var sum uint64
	var got int64
	if os.Args[1] == "chain" {
		sum, got = chain(w, q, n)
	} else {
		sum, got = par(w, q, n)
	}
	el := time.Since(t0)
	c1 := cpuNs()
	ok := 0
	if got == n {
		ok = 1
	}
	fmt.Printf("items=%d ns_per_item=%.2f cpu_total=%.2f sum=%d ok=%d\n", n,
		float64(el.Nanoseconds())/float64(n), (c1-c0)/float64(n), sum, ok)
	if ok == 0 {
		os.Exit(1)
	}
}
