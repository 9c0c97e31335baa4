package preview

import (
	"bufio"
	"fmt"
	"net"
	"net/url"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"
)

// listeningOn returns the local addresses, as /proc/net/tcp{,6} spells
// them ("0100007F" is 127.0.0.1), of the sockets listening on port; ok is
// false where /proc/net does not exist.
func listeningOn(port int) (addrs []string, ok bool) {
	for _, table := range []string{"/proc/net/tcp", "/proc/net/tcp6"} {
		f, err := os.Open(table)
		if err != nil {
			continue
		}
		ok = true
		sc := bufio.NewScanner(f)
		sc.Scan() // the header
		for sc.Scan() {
			fields := strings.Fields(sc.Text())
			if len(fields) < 4 || fields[3] != "0A" { // 0A: LISTEN
				continue
			}
			host, hexPort, found := strings.Cut(fields[1], ":")
			if p, err := strconv.ParseInt(hexPort, 16, 32); found && err == nil && int(p) == port {
				addrs = append(addrs, host)
			}
		}
		f.Close()
	}
	return addrs, ok
}

// With no --bind, the preview listens on 127.0.0.1 alone: other machines
// on the office network cannot reach an editor's unpublished pages.
func TestListensOnLoopbackByDefault(t *testing.T) {
	p := runPreview(t, Options{Source: writeLoadSite(t)})
	u, err := url.Parse(p.url)
	if err != nil {
		t.Fatal(err)
	}
	if u.Hostname() != "127.0.0.1" {
		t.Errorf("served at %s, want 127.0.0.1", p.url)
	}
	port, _ := strconv.Atoi(u.Port())

	if addrs, ok := listeningOn(port); ok {
		if len(addrs) != 1 || addrs[0] != "0100007F" {
			t.Errorf("sockets listening on port %d have the addresses %v, want only 0100007F (127.0.0.1)", port, addrs)
		}
	}

	// Where the machine has another address, the preview is not reachable
	// through it.
	ifaddrs, err := net.InterfaceAddrs()
	if err != nil {
		t.Fatal(err)
	}
	tried := 0
	for _, a := range ifaddrs {
		ip, _, err := net.ParseCIDR(a.String())
		if err != nil || ip.IsLoopback() || ip.IsLinkLocalUnicast() {
			continue
		}
		tried++
		addr := net.JoinHostPort(ip.String(), fmt.Sprint(port))
		if c, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
			c.Close()
			t.Errorf("the preview answers on %s", addr)
		}
	}
	t.Logf("listening on 127.0.0.1:%d; dialled it through %d other addresses of this machine", port, tried)
}
