//! Numbers for people: sizes in binary units, counts with separators or
//! short suffixes, durations and rates.

use std::fmt::Write as _;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

const SIZE_UNITS: [&str; 7] = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"];
const SI_UNITS: [&str; 7] = ["B", "kB", "MB", "GB", "TB", "PB", "EB"];

/// `--si`: set once at start, before any thread draws a size.
static SI: AtomicBool = AtomicBool::new(false);

/// Sizes in powers of 1000 from now on (`--si`), or of 1024.
pub fn use_si(si: bool) {
    SI.store(si, Ordering::Relaxed);
}

/// `1536` → `1.50 KiB` (with `--si`: `1.54 kB`); three significant
/// digits, like `du -h` and ncdu.
pub fn size(bytes: u64) -> String {
    if SI.load(Ordering::Relaxed) {
        scaled(bytes, 1000.0, &SI_UNITS)
    } else {
        scaled(bytes, 1024.0, &SIZE_UNITS)
    }
}

fn scaled(bytes: u64, base: f64, units: &[&str; 7]) -> String {
    if (bytes as f64) < base {
        return format!("{bytes} B");
    }
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= base && unit < units.len() - 1 {
        value /= base;
        unit += 1;
    }
    // Three digits from 100 on: a value that rounds to `base` reads as one
    // of the next unit (`1.00 kB`, not `1000 kB`).
    if value >= base - 0.5 && unit < units.len() - 1 {
        value /= base;
        unit += 1;
    }
    three_digits(value, " ", units[unit])
}

/// `value` with three significant digits, then the unit.
fn three_digits(value: f64, space: &str, unit: &str) -> String {
    if value < 9.995 {
        format!("{value:.2}{space}{unit}")
    } else if value < 99.95 {
        format!("{value:.1}{space}{unit}")
    } else {
        format!("{value:.0}{space}{unit}")
    }
}

/// `1234567` → `1,234,567`.
pub fn count(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `1234567` → `1.23M`; short enough for a dashboard column.
pub fn short_count(n: u64) -> String {
    const SUFFIXES: [&str; 5] = ["", "k", "M", "G", "T"];
    if n < 10_000 {
        return n.to_string();
    }
    let mut value = n as f64;
    let mut i = 0;
    while value >= 999.5 && i < SUFFIXES.len() - 1 {
        value /= 1000.0;
        i += 1;
    }
    three_digits(value, "", SUFFIXES[i])
}

/// `0.81s`, `12.3s`, `4m05s`, `2h03m`.
pub fn duration(d: Duration) -> String {
    let secs = d.as_secs_f64();
    let mut out = String::new();
    if secs < 10.0 {
        let _ = write!(out, "{secs:.2}s");
    } else if secs < 60.0 {
        let _ = write!(out, "{secs:.1}s");
    } else if secs < 3600.0 {
        let s = secs as u64;
        let _ = write!(out, "{}m{:02}s", s / 60, s % 60);
    } else {
        let s = secs as u64;
        let _ = write!(out, "{}h{:02}m", s / 3600, (s % 3600) / 60);
    }
    out
}

/// A change of size: `+1.2 GiB`, `-300 KiB`, `0 B`.
pub fn signed_size(change: i128) -> String {
    let magnitude = u64::try_from(change.unsigned_abs()).unwrap_or(u64::MAX);
    match change.signum() {
        1 => format!("+{}", size(magnitude)),
        -1 => format!("-{}", size(magnitude)),
        _ => size(0),
    }
}

/// Unix seconds as `2026-12-01 09:41 UTC`.
pub fn date(unix: i64) -> String {
    let days = unix.div_euclid(86_400);
    let secs = unix.rem_euclid(86_400);
    // Days to a civil date (Howard Hinnant's algorithm), the proleptic
    // Gregorian calendar.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02} UTC",
        secs / 3600,
        (secs % 3600) / 60
    )
}

/// Events per second over `elapsed`, zero when no time passed.
pub fn per_second(n: u64, elapsed: Duration) -> u64 {
    let secs = elapsed.as_secs_f64();
    if secs <= 0.0 {
        0
    } else {
        (n as f64 / secs) as u64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_use_binary_units_and_three_digits() {
        assert_eq!(size(0), "0 B");
        assert_eq!(size(1023), "1023 B");
        assert_eq!(size(1024), "1.00 KiB");
        assert_eq!(size(1536), "1.50 KiB");
        assert_eq!(size(10 * 1024 * 1024 + 1), "10.0 MiB");
        assert_eq!(size(500 * 1024 * 1024 * 1024), "500 GiB");
        assert_eq!(size(1024 * 1024 - 1), "1.00 MiB");
        assert_eq!(size(u64::MAX), "16.0 EiB");
        assert_eq!(size(1_048_064), "1.00 MiB", "1023.5 KiB rounds up a unit");
        assert_eq!(size(1_047_552), "1023 KiB");
    }

    #[test]
    fn si_sizes_use_powers_of_1000_and_never_four_digits() {
        // `scaled` directly: `use_si` is process-wide, and other tests of
        // this binary draw sizes in binary units meanwhile.
        let si = |bytes| scaled(bytes, 1000.0, &SI_UNITS);
        assert_eq!(si(999), "999 B");
        assert_eq!(si(1000), "1.00 kB");
        assert_eq!(si(1536), "1.54 kB");
        assert_eq!(si(999_499), "999 kB");
        assert_eq!(si(999_500), "1.00 MB");
        assert_eq!(si(999_949), "1.00 MB");
        assert_eq!(si(17_000), "17.0 kB");
        assert_eq!(si(4_000_000_000_000), "4.00 TB");
        assert_eq!(si(u64::MAX), "18.4 EB");
    }

    #[test]
    fn counts_group_thousands() {
        assert_eq!(count(0), "0");
        assert_eq!(count(999), "999");
        assert_eq!(count(1000), "1,000");
        assert_eq!(count(1_234_567), "1,234,567");
    }

    #[test]
    fn short_counts_fit_a_column() {
        assert_eq!(short_count(9_999), "9999");
        assert_eq!(short_count(12_345), "12.3k");
        assert_eq!(short_count(999_999), "1.00M");
        assert_eq!(short_count(1_234_567), "1.23M");
    }

    #[test]
    fn dates_are_utc_and_changes_carry_their_sign() {
        assert_eq!(date(0), "1970-01-01 00:00 UTC");
        assert_eq!(date(951_782_400), "2000-02-29 00:00 UTC");
        assert_eq!(date(1_796_118_060), "2026-12-01 09:41 UTC");
        assert_eq!(signed_size(1536), "+1.50 KiB");
        assert_eq!(signed_size(-1536), "-1.50 KiB");
        assert_eq!(signed_size(0), "0 B");
    }

    #[test]
    fn durations_read_naturally() {
        assert_eq!(duration(Duration::from_millis(812)), "0.81s");
        assert_eq!(duration(Duration::from_millis(12_340)), "12.3s");
        assert_eq!(duration(Duration::from_secs(245)), "4m05s");
        assert_eq!(duration(Duration::from_secs(7380)), "2h03m");
    }
}
