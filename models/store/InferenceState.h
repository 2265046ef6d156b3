#pragma once

// Transfers are derived from the events by inference, which runs after the import's files are
// committed. A kill in between would leave sources without transfers and a re-run of the same
// import would find nothing new to do; so every committed import marks the case "inference
// pending" in its own transaction, and only a committed inference marks it "done". Whoever opens
// the case can then see that its transfers are stale and re-run inference.

namespace tt::sql {
class Db;
}

namespace tt::store {

class CaseStore;

// case_info key holding "pending" or "done" (absent: a case from before the flag, taken as done).
inline constexpr const char *kInferenceStateKey = "inference_state";

// Both are meant to run inside the caller's open transaction.
void markInferencePending(sql::Db &db);
void markInferenceDone(sql::Db &db);
bool inferencePending(sql::Db &db);
bool inferencePending(CaseStore &store);

// Several analysts at once (issue 13 item 3): on a server case, imports (one transaction per
// file) and inference runs of different sessions take turns: this waits for the case's writer
// lock, a transaction-level advisory lock released by the caller's COMMIT or ROLLBACK. Dimension
// rows (hosts, accounts, channels...) are found-or-inserted and a file's duplicate check reads
// the committed sources, so neither may interleave with another session's file. A case file has
// one writer anyway (the session lock): nothing to do there. Call inside an open transaction.
void lockCaseWriters(sql::Db &db);

} // namespace tt::store
