//! RFC 3339 timestamps for key expiry, without a date library.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Converts a TOML offset date-time into a `SystemTime`.
pub(crate) fn from_toml(datetime: &toml::value::Datetime) -> Result<SystemTime, String> {
    let (Some(date), Some(time), Some(offset)) = (datetime.date, datetime.time, datetime.offset)
    else {
        return Err(
            "invalid expires_at: expected a full date-time with an offset, such as 2027-01-31T00:00:00Z"
                .to_owned(),
        );
    };
    let days = days_from_civil(
        i64::from(date.year),
        u32::from(date.month),
        u32::from(date.day),
    );
    let offset_minutes = match offset {
        toml::value::Offset::Z => 0,
        toml::value::Offset::Custom { minutes } => i64::from(minutes),
    };
    let seconds = days * 86_400
        + i64::from(time.hour) * 3600
        + i64::from(time.minute) * 60
        + i64::from(time.second)
        - offset_minutes * 60;
    let seconds = u64::try_from(seconds)
        .map_err(|_| "invalid expires_at: dates before 1970 are not supported".to_owned())?;
    Ok(UNIX_EPOCH + Duration::from_secs(seconds))
}

/// Formats a `SystemTime` as an RFC 3339 UTC timestamp with second precision.
pub(crate) fn to_rfc3339(at: SystemTime) -> String {
    let seconds = at
        .duration_since(UNIX_EPOCH)
        .map_or(0, |since| since.as_secs());
    let seconds = i64::try_from(seconds).unwrap_or(i64::MAX);
    let (year, month, day) = civil_from_days(seconds.div_euclid(86_400));
    let rest = seconds.rem_euclid(86_400);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    )
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month = i64::from(month);
    let day_of_year =
        (153 * (if month > 2 { month - 3 } else { month + 9 }) + 2) / 5 + i64::from(day) - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// Converts days since 1970-01-01 back to a date, the inverse of [`days_from_civil`].
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let days = days + 719_468;
    let era = days.div_euclid(146_097);
    let day_of_era = days - era * 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_index + 2) / 5 + 1;
    let month = if month_index < 10 {
        month_index + 3
    } else {
        month_index - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (
        year,
        u32::try_from(month).unwrap_or(1),
        u32::try_from(day).unwrap_or(1),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<SystemTime, String> {
        from_toml(&text.parse().unwrap())
    }

    #[test]
    fn known_instants() {
        assert_eq!(parse("1970-01-01T00:00:00Z").unwrap(), UNIX_EPOCH);
        let instant = parse("2024-02-29T12:30:15Z").unwrap();
        assert_eq!(
            instant.duration_since(UNIX_EPOCH).unwrap().as_secs(),
            1_709_209_815
        );
    }

    #[test]
    fn offset_is_applied() {
        assert_eq!(
            parse("2024-01-01T02:00:00+02:00").unwrap(),
            parse("2024-01-01T00:00:00Z").unwrap()
        );
    }

    #[test]
    fn local_date_is_rejected() {
        assert!(parse("2024-01-01").is_err());
        assert!(parse("2024-01-01T00:00:00").is_err());
    }

    #[test]
    fn formatting_round_trips() {
        let instant = parse("2031-12-31T23:59:59Z").unwrap();
        assert_eq!(to_rfc3339(instant), "2031-12-31T23:59:59Z");
    }
}
