//! Times as people in China read them: 北京时间 (UTC+8, no daylight saving).

use juesuan_core::Lang;

/// `YYYY-MM-DD HH:MM 北京时间` of Unix seconds: the time in China (UTC+8, no daylight saving),
/// named in `lang`.
pub fn datetime_in(secs: i64, lang: Lang) -> String {
    let zone = match lang {
        Lang::Zh => "北京时间",
        Lang::En => "Beijing time",
    };
    format!("{} {zone}", clock(secs.saturating_add(8 * 3600)))
}

/// `YYYY-MM-DD HH:MM` of Unix seconds, with no zone.
fn clock(secs: i64) -> String {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    // Civil from days (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02}",
        rem / 3600,
        (rem % 3600) / 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_beijing_time() {
        assert_eq!(datetime_in(0, Lang::Zh), "1970-01-01 08:00 北京时间");
        // 22:13 UTC is the next morning in Beijing.
        assert_eq!(
            datetime_in(1_700_000_000, Lang::En),
            "2023-11-15 06:13 Beijing time"
        );
        assert_eq!(
            datetime_in(951_782_400, Lang::Zh),
            "2000-02-29 08:00 北京时间"
        );
    }
}
