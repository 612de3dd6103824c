// pipe.go — the Go baseline of the benchmark suite: the benchmark graphs'
// shapes built from goroutines and buffered channels, as a Go programmer would
// write them, measured in the same run as the agdf graphs.  A chain of L
// stages is a source goroutine sending 0..N-1, L-2 goroutines each receiving v
// and sending v+1, and the sink (the main goroutine) adding into a sum; every
// channel has capacity Q.  A fan-out 1 -> K sends each item on K channels, one
// receiver goroutine each; a fan-in K -> 1 has K sources of N/K items sending
// on one channel.  chain_b64 and chain_b1024 are the chain carrying 64-byte
// and 1 KiB items (a struct: the int64 and padding, as bench/gen.sh's B-byte
// items), copied by value through the channels.  Output: the same key=value line as bench/bench_main.c, with
// deliveries counted as items times edges; the sum is checked.  Built with
// `go build` from this one file (no module, nothing downloaded).
//
//	pipe chain|chain_b64|chain_b1024 L Q N | pipe fanout K Q N | pipe fanin K Q N
package main

import (
	"fmt"
	"os"
	"strconv"
	"sync"
	"time"
)

func num(s string) int64 {
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil || v < 1 {
		fmt.Fprintf(os.Stderr, "pipe: bad number: %s\n", s)
		os.Exit(2)
	}
	return v
}

// item is what a chain_bB carries: a value with an int64 inside.
type item[T any] interface {
	val() int64
	with(v int64) T
}

type b64 struct {
	v   int64
	pad [56]byte
}

type b1024 struct {
	v   int64
	pad [1016]byte
}

func (b b64) val() int64           { return b.v }
func (b b64) with(v int64) b64     { b.v = v; return b }
func (b b1024) val() int64         { return b.v }
func (b b1024) with(v int64) b1024 { b.v = v; return b }

// chainOf runs the chain of k stages on items of type T and returns the sum.
func chainOf[T item[T]](k int64, q int, n int64) (sum int64) {
	var zero T
	in := make(chan T, q)
	go func(out chan<- T) {
		for i := int64(0); i < n; i++ {
			out <- zero.with(i)
		}
		close(out)
	}(in)
	for s := int64(0); s < k-2; s++ {
		out := make(chan T, q)
		go func(in <-chan T, out chan<- T) {
			for v := range in {
				out <- v.with(v.val() + 1)
			}
			close(out)
		}(in, out)
		in = out
	}
	for v := range in {
		sum += v.val()
	}
	return sum
}

func main() {
	if len(os.Args) != 5 {
		fmt.Fprintln(os.Stderr, "usage: pipe chain|chain_b64|chain_b1024|fanout|fanin L|K Q N")
		os.Exit(2)
	}
	shape := os.Args[1]
	k, q, n := num(os.Args[2]), int(num(os.Args[3])), num(os.Args[4])
	var sum, want, deliveries int64
	var t0 time.Time
	var elapsed time.Duration
	switch shape {
	case "chain":
		if k < 2 {
			os.Exit(2)
		}
		t0 = time.Now()
		in := make(chan int64, q)
		go func(out chan<- int64) {
			for i := int64(0); i < n; i++ {
				out <- i
			}
			close(out)
		}(in)
		for s := int64(0); s < k-2; s++ {
			out := make(chan int64, q)
			go func(in <-chan int64, out chan<- int64) {
				for v := range in {
					out <- v + 1
				}
				close(out)
			}(in, out)
			in = out
		}
		for v := range in {
			sum += v
		}
		elapsed = time.Since(t0)
		want = n*(n-1)/2 + n*(k-2)
		deliveries = n * (k - 1)
	case "chain_b64", "chain_b1024":
		if k < 2 {
			os.Exit(2)
		}
		t0 = time.Now()
		if shape == "chain_b64" {
			sum = chainOf[b64](k, q, n)
		} else {
			sum = chainOf[b1024](k, q, n)
		}
		elapsed = time.Since(t0)
		want = n*(n-1)/2 + n*(k-2)
		deliveries = n * (k - 1)
	case "fanout":
		t0 = time.Now()
		chans := make([]chan int64, k)
		sums := make([]int64, k)
		var wg sync.WaitGroup
		for j := range chans {
			chans[j] = make(chan int64, q)
			wg.Add(1)
			go func(j int, in <-chan int64) {
				var s int64
				for v := range in {
					s += v
				}
				sums[j] = s
				wg.Done()
			}(j, chans[j])
		}
		for i := int64(0); i < n; i++ {
			for _, c := range chans {
				c <- i
			}
		}
		for _, c := range chans {
			close(c)
		}
		wg.Wait()
		elapsed = time.Since(t0)
		for _, s := range sums {
			sum += s
		}
		want = k * (n * (n - 1) / 2)
		deliveries = n * k
	case "fanin":
		m := n / k
		t0 = time.Now()
		ch := make(chan int64, q)
		var wg sync.WaitGroup
		for j := int64(0); j < k; j++ {
			wg.Add(1)
			go func() {
				for i := int64(0); i < m; i++ {
					ch <- i
				}
				wg.Done()
			}()
		}
		go func() { wg.Wait(); close(ch) }()
		for v := range ch {
			sum += v
		}
		elapsed = time.Since(t0)
		want = k * (m * (m - 1) / 2)
		deliveries = m * k
	default:
		fmt.Fprintf(os.Stderr, "pipe: unknown shape %s\n", shape)
		os.Exit(2)
	}
	check := "ok"
	if sum != want {
		check = "WRONG"
	}
	sec := elapsed.Seconds()
	fmt.Printf("graph=go_%s%d_q%d n=%d nodes=0 deliveries=%d seconds=%.6f ns=%.4f "+
		"graph_bytes=0 task_bytes=0 node_bytes=0 check=%s\n",
		shape, k, q, n, deliveries, sec, sec*1e9/float64(deliveries), check)
	if check != "ok" {
		os.Exit(1)
	}
}
