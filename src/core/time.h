#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace paysandbox {

// Instants are milliseconds since the Unix epoch, on some sandbox clock.
using Millis = std::int64_t;
constexpr Millis kSecond = 1000;
constexpr Millis kMinute = 60 * kSecond;
constexpr Millis kHour = 60 * kMinute;

// "2026-11-23T18:30:00Z" (whole seconds, UTC).
std::string format_rfc3339(Millis at);
// Accepts "YYYY-MM-DDTHH:MM:SS[.fff]Z"; nullopt when it is not that.
std::optional<Millis> parse_rfc3339(std::string_view text);

// Days since 1970-01-01 of a civil date (proleptic Gregorian).
std::int64_t days_from_civil(std::int64_t year, unsigned month, unsigned day);

// The first instant after a card's expiry month: a card is good through the
// last day of exp_month/exp_year, so it is expired at and after this instant.
Millis card_expires_at(int exp_month, int exp_year);

}  // namespace paysandbox
