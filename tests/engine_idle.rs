//! Idle workers sleep: with nothing to scan, the pool uses no CPU. Alone in
//! its test binary so that no other test's threads are measured.

mod support;

use std::time::Duration;

use dirdash::scan::{Scanner, WorkerState};
use support::{Shape, Spec, collect_until_done, options, tree};

/// CPU time of the whole process, every thread included.
fn cpu_time() -> Duration {
    let t = rustix::time::clock_gettime(rustix::time::ClockId::ProcessCPUTime);
    Duration::new(t.tv_sec as u64, t.tv_nsec as u32)
}

#[test]
fn sixteen_idle_workers_use_no_cpu() {
    let (root, _) = tree(Spec {
        files: 2_000,
        seed: 1,
        shape: Shape::Mixed,
        hostile: false,
    });
    let (mut scanner, events) = Scanner::new(options(16)).unwrap();
    let job = scanner.submit(&root).unwrap();
    let mut outcome = support::Outcome::default();
    collect_until_done(&events, &[job], &mut outcome);
    std::thread::sleep(Duration::from_millis(100));
    assert!(
        scanner
            .workers()
            .iter()
            .all(|w| w.state == WorkerState::Idle)
    );

    let before = cpu_time();
    std::thread::sleep(Duration::from_secs(1));
    let used = cpu_time() - before;
    // A polling loop would burn a good part of a core; sleeping costs ~0.
    assert!(
        used < Duration::from_millis(20),
        "{used:?} of CPU in 1 s idle"
    );
    scanner.shutdown();
}
