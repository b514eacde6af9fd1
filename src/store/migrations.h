#pragma once

#include <string>

#include "store/connection.h"

namespace paysandbox {

// Schema versions of a --db file, kept in SQLite's PRAGMA user_version. A
// file made by an older release is brought forward by the ordered list of
// migrations in migrations.cc; a file from a newer release is refused.

// The version this build writes.
int latest_schema_version();

// The version recorded in the open database (0 = made before versions).
int schema_version_of(Connection& connection);

// Brings a database that was opened at `found` (below the latest) up to
// latest_schema_version(), in one transaction: a failure leaves it as it was.
void migrate(Connection& connection, int found);

// Records the latest version in a database whose tables are all new.
void stamp_latest_schema_version(Connection& connection);

}  // namespace paysandbox
