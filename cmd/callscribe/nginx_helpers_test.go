package main

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// shippedNginxConf is the configuration deploy/ ships, relative to this
// package: the test includes it as it is.
const shippedNginxConf = "../../deploy/nginx/callscribe.conf"

// envRequireNginx, when set, makes the nginx test fail rather than skip
// without nginx; make test sets it, so CI cannot pass by skipping.
const envRequireNginx = "CALLSCRIBE_REQUIRE_NGINX"

// nginxBinary returns Debian's nginx, or skips the test (fails it under
// envRequireNginx) when it is not installed.
func nginxBinary(t *testing.T) string {
	t.Helper()
	bin, err := exec.LookPath("nginx")
	if err != nil {
		bin = "/usr/sbin/nginx" // not on PATH for users other than root
		_, err = os.Stat(bin)
	}
	if err != nil {
		reason := "nginx not found: install the Debian package nginx (make test-packages) to run the reverse-proxy test"
		if os.Getenv(envRequireNginx) != "" {
			t.Fatal(reason)
		}
		t.Skip(reason)
	}
	return bin
}

// testProxy is an nginx terminating TLS on a loopback port.
type testProxy struct {
	addr string        // host:port it listens on
	tls  *tls.Config   // trusts the proxy's certificate
	dir  string        // its prefix: configuration, certificate, logs
	cmd  *exec.Cmd     // the master process
	done chan struct{} // closed when the master has exited
	err  error         // the master's exit, once done is closed
}

// startNginx runs bin in the foreground on addr with TLS, proxying to
// upstream through the shipped configuration. The test's end stops it.
func startNginx(t *testing.T, bin, addr, upstream string) *testProxy {
	t.Helper()
	dir := t.TempDir()
	p := &testProxy{addr: addr, dir: dir, done: make(chan struct{})}
	p.tls = writeCertificate(t, dir)
	conf, err := filepath.Abs(shippedNginxConf)
	if err != nil {
		t.Fatal(err)
	}
	// What deploy/nginx/callscribe.conf leaves to each site, and a main
	// file that keeps everything nginx writes inside dir, so it runs as
	// any user.
	files := map[string]string{
		"callscribe.d/server.conf": fmt.Sprintf("listen %s ssl;\nserver_name localhost;\n"+
			"ssl_certificate %s;\nssl_certificate_key %s;\n", addr, filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")),
		"callscribe.d/upstream.conf": fmt.Sprintf("server %s;\n", upstream),
		"nginx.conf": fmt.Sprintf(`daemon off;
worker_processes 1;
pid %[1]s/nginx.pid;
error_log %[1]s/error.log info;
events { worker_connections 256; }
http {
    access_log %[1]s/access.log;
    client_body_temp_path %[1]s/tmp/body;
    proxy_temp_path %[1]s/tmp/proxy;
    fastcgi_temp_path %[1]s/tmp/fastcgi;
    uwsgi_temp_path %[1]s/tmp/uwsgi;
    scgi_temp_path %[1]s/tmp/scgi;
    include %[2]s;
}
`, dir, conf),
	}
	for name, text := range files {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.MkdirAll(filepath.Join(dir, "tmp"), 0o755); err != nil {
		t.Fatal(err)
	}

	// -e: the error log nginx opens before it reads the configuration.
	p.cmd = exec.Command(bin, "-p", dir+"/", "-c", filepath.Join(dir, "nginx.conf"), "-e", filepath.Join(dir, "error.log"))
	p.cmd.Stdout, p.cmd.Stderr = os.Stderr, os.Stderr
	// Its own process group: the cleanup can reach the workers too.
	p.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { p.err = p.cmd.Wait(); close(p.done) }()
	t.Cleanup(p.stop)
	p.waitReady(t)
	return p
}

// waitReady waits until the proxy completes a TLS handshake.
func (p *testProxy) waitReady(t *testing.T) {
	t.Helper()
	for deadline := time.Now().Add(15 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		select {
		case <-p.done:
			t.Fatalf("nginx exited: %v\n%s", p.err, p.errorLog())
		default:
		}
		conn, err := tls.DialWithDialer(&net.Dialer{Timeout: time.Second}, "tcp", p.addr, p.tls)
		if err == nil {
			conn.Close()
			return
		}
	}
	t.Fatalf("nginx did not answer on %s\n%s", p.addr, p.errorLog())
}

// stop ends nginx the fast way (SIGTERM: the master stops its workers),
// and kills the group if it does not exit.
func (p *testProxy) stop() {
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(10 * time.Second):
		_ = syscall.Kill(-p.cmd.Process.Pid, syscall.SIGKILL)
		<-p.done
	}
}

// errorLog returns nginx's error log, for failure messages.
func (p *testProxy) errorLog() string {
	b, err := os.ReadFile(filepath.Join(p.dir, "error.log"))
	if err != nil {
		return "(no error log: " + err.Error() + ")"
	}
	return string(b)
}

// writeCertificate writes a self-signed certificate for 127.0.0.1 and
// localhost, with its key, into dir, and returns a client configuration
// that trusts it and nothing else.
func writeCertificate(t *testing.T, dir string) *tls.Config {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(now.UnixNano()),
		Subject:               pkix.Name{CommonName: "callscribe nginx test"},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.Add(time.Hour),
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1)},
		DNSNames:              []string{"localhost"},
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	pkcs8, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	err = errors.Join(
		os.WriteFile(filepath.Join(dir, "cert.pem"), pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644),
		os.WriteFile(filepath.Join(dir, "key.pem"), pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: pkcs8}), 0o600))
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
}
