// hop.go — the Go baseline of bench/xthread.sh: the cost of one cross-thread
// hop through a buffered channel, as a Go programmer would write it.  A
// producer goroutine sends 0..N-1 on a channel of capacity Q; the main
// goroutine receives and sums them (the sum is checked).  Run with
// GOMAXPROCS=2 so sender and receiver may sit on different threads.  Output:
// the same key=value line as bench/xthread.c (no CPU split: Go does not give
// a goroutine's CPU time).  Built with `go build` from this one file.
//
//	hop Q N
package main

import (
	"fmt"
	"os"
	"strconv"
	"time"
)

func num(s string) int64 {
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil || v < 1 {
		fmt.Fprintf(os.Stderr, "hop: bad number: %s\n", s)
		os.Exit(2)
	}
	return v
}

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: hop Q N")
		os.Exit(2)
	}
	q, n := int(num(os.Args[1])), num(os.Args[2])
	ch := make(chan int64, q)
	t0 := time.Now()
	go func() {
		for i := int64(0); i < n; i++ {
			ch <- i
		}
		close(ch)
	}()
	var sum int64
	for v := range ch {
		sum += v
	}
	el := time.Since(t0)
	ok := 0
	if sum == n*(n-1)/2 {
		ok = 1
	}
	fmt.Printf("items=%d ns_per_item=%.2f sum=%d ok=%d\n", n, float64(el.Nanoseconds())/float64(n), sum, ok)
	if ok == 0 {
		os.Exit(1)
	}
}
