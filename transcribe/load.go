package transcribe

import (
	"math"
	"time"
)

// Load is a snapshot of a pool's load: what the load-aware decode policy
// (package adapt) reads to decide how much a decode may spend.
type Load struct {
	// Workers and Cores size the pool (PoolConfig).
	Workers, Cores int
	// Busy counts the workers decoding now, BusyFinals and
	// BusySpeculative those of them on finals and on speculative finals,
	// CoresBusy the cores those decodes use.
	Busy, BusyFinals, BusySpeculative, CoresBusy int
	// QueuedFinals and QueuedPartials count the jobs waiting for a worker
	// (the partial queue holds speculative finals too).
	QueuedFinals, QueuedPartials int
	// Utilisation is the share of the cores in use, averaged over the
	// recent past (PoolConfig.LoadWindow), from 0 (idle) to 1 (every core
	// decoding all the time). The queues say whether the pool is behind
	// now; this says how close to full it has been running.
	Utilisation float64
	// CPUShare is the share of their wall time that recent decodes had a
	// core for (a moving average over decodes; 1 before the first): below
	// 1, other processes take turns on the cores, and a decode's extra
	// threads would spin waiting for each other.
	CPUShare float64
}

// Idle reports whether nothing is decoding or waiting.
func (l Load) Idle() bool { return l.Busy == 0 && l.QueuedFinals == 0 && l.QueuedPartials == 0 }

// LoadReporter is what the load-aware policy needs from a pool.
type LoadReporter interface {
	Load() Load
}

// Load returns a snapshot of the pool's load. It implements LoadReporter.
func (p *Pool) Load() Load {
	now := p.cfg.Clock.Now()
	p.mu.Lock()
	defer p.mu.Unlock()
	p.util.advance(now, p.stats.CoresBusy, p.cfg.Cores)
	busyFinals, busySpec := 0, 0
	for _, pj := range p.running {
		switch pj.job.Kind {
		case Final:
			busyFinals++
		case Speculative:
			busySpec++
		}
	}
	return Load{
		Workers: p.cfg.Workers, Cores: p.cfg.Cores,
		Busy: p.stats.Busy, BusyFinals: busyFinals, BusySpeculative: busySpec, CoresBusy: p.stats.CoresBusy,
		QueuedFinals: len(p.finals), QueuedPartials: len(p.partials),
		Utilisation: p.util.value, CPUShare: p.cpuShare,
	}
}

// cpuShareWeight is the weight of the latest decode in Load.CPUShare.
const cpuShareWeight = 0.2

// minShareDecode is the shortest decode that counts towards CPUShare:
// shorter ones measure the scheduler's granularity more than the load.
const minShareDecode = 20 * time.Millisecond

// noteShare folds one decode's CPU time over its wall time into the
// moving average. The caller holds the pool's lock.
func (p *Pool) noteShare(cpu, wall time.Duration) {
	if wall < minShareDecode {
		return
	}
	share := math.Min(1, float64(cpu)/float64(wall))
	p.cpuShare = (1-cpuShareWeight)*p.cpuShare + cpuShareWeight*share
}

// utilisation is an exponential moving average, in continuous time, of
// the share of cores in use: between two changes the share is constant,
// so the average moves towards it by 1 - e^(-dt/window).
type utilisation struct {
	window time.Duration
	value  float64
	at     time.Time
}

// advance brings the average up to now, the share having been busy/cores
// since the last call. The caller holds the pool's lock.
func (u *utilisation) advance(now time.Time, busy, cores int) {
	dt := now.Sub(u.at)
	if dt <= 0 {
		return
	}
	share := math.Min(1, float64(busy)/float64(max(cores, 1)))
	decay := math.Exp(-dt.Seconds() / u.window.Seconds())
	u.value = u.value*decay + share*(1-decay)
	u.at = now
}
