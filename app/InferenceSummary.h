#pragma once

#include "inference/InferenceEngine.h"

#include <string>

namespace tt::store {
class CaseStore;
}

namespace tt::app {

class SignalCancel;

// "12 transfer(s) inferred from 40000 events (psexec-service-binary 3, ...) in 0.21 s"
std::string inferenceSummary(const inference::InferenceEngine::Result &r);

// Recomputes the transfers of a writable case, cancelled by `interrupt` (throws
// InferenceEngine::Cancelled); TT_TEST_PAUSE_AT=inference pauses just before. afterImport: only
// what the new events can change when the engine can tell (InferenceEngine::runAfterImport).
inference::InferenceEngine::Result inferStale(store::CaseStore &cs, SignalCancel &interrupt, bool afterImport = false);

// For read-only commands: one line on stderr when an import's inference never committed (the
// transfers shown are stale), naming the command that fixes it.
void warnIfInferencePending(store::CaseStore &cs, const char *command);

} // namespace tt::app
