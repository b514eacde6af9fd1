#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace paysandbox {

// Per-request log lines on stderr.
enum class LogFormat {
  kNone,  // nothing (the default for embedding)
  kText,  // one human-readable line per request
  kJson,  // one JSON object per request
};

// How a Sandbox is started. Every field has a default that suits a test:
// loopback, a free port, in-memory state, the built-in fixtures.
struct Options {
  // Address to listen on. Default loopback only; "0.0.0.0" exposes it.
  std::string host = "127.0.0.1";

  // TCP port; 0 (the default) picks a free one, read it back with port().
  int port = 0;

  // SQLite file for state that survives restarts. Empty (the default) keeps
  // everything in memory: fastest, and gone when the Sandbox is destroyed.
  // With a file, every acknowledged write survives the process being killed.
  std::string db_path;

  // Directory holding clients.json, accounts.json and cards.json. Empty (the
  // default) uses the fixtures built into the library.
  std::string fixtures_dir;

  // Skip bearer checks on /api/ routes; callers act as sandbox-client.
  bool no_auth = false;

  // Take unknown proxynized tokens at their word (outcome from bin/last4)
  // instead of answering 400.
  bool accept_any_token = false;

  // When set, /_sandbox/ routes (but health) need X-Sandbox-Token: <token>.
  std::string control_token;

  // Worker threads that run requests; 0 (the default) means twice the
  // cores, at least 4. A connection holds none while it waits for its next
  // request; when requests block (a delay scenario) the pool grows, up to
  // 1024, so ready connections are not starved.
  int threads = 0;

  // How long the server waits on one read from a client before dropping the
  // connection (a stalled or truncated request), in milliseconds. Default
  // 5000.
  int read_timeout_ms = 5000;

  // How many recent requests GET /_sandbox/requests keeps (a ring; the
  // oldest goes first). 0 turns the journal off. Default 10,000.
  std::size_t journal_size = 10000;

  // Scenario files (docs/scenarios.md) loaded at start, each into the account it names
  // (default pa_sandbox). An invalid file makes the constructor throw.
  std::vector<std::string> scenario_files;

  // How long a webhook receiver has to answer a delivery (connect, send and
  // read) before the attempt counts as a timeout and is retried. Default
  // 10,000 ms (docs/webhooks.md); tests of slow receivers set it low.
  int webhook_timeout_ms = 10000;  // values below 1 count as 1

  // Per-request log lines on stderr. Default none.
  LogFormat log_format = LogFormat::kNone;

  // ---- Snapshots and reproducible runs -----------------------------------

  // Reproducible ids. When set, every id and secret the sandbox generates
  // (accounts, customers, methods, tokens, payments, sessions, events,
  // webhook secrets) is a function of this seed and of the order of creation
  // within its account, so the same requests in the same order give the same
  // ids in every run. Request ids (X-Request-Id) stay random. Unset (the
  // default): random ids.
  std::optional<std::uint64_t> seed;

  // Frozen clocks. When set to an RFC 3339 UTC instant
  // ("2030-01-01T00:00:00Z"), every clock (server-wide and per account)
  // starts there and moves only when advanced. Empty (the default): clocks
  // follow real time. With `seed`, two runs of the same requests answer
  // byte-identical bodies, timing fields (duration_ms) and request ids aside.
  std::string frozen_clock;

  // Snapshot files (GET /_sandbox/snapshots/{name}/file) loaded at start,
  // each under the name it was saved with. A file that cannot be read makes
  // the constructor throw.
  std::vector<std::string> snapshot_files;
};

}  // namespace paysandbox
