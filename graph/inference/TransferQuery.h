#pragma once

// The read side of inference for the CLI (`transfertrace transfers`) and the exports: transfers
// with their hosts, account and evidence counts, filtered. The rows come from the one transfer
// row reader (models/query/TransferRecordQuery.h); what inference adds is why a row scored as it
// did.

#include "query/TransferRecordQuery.h"

#include <string>
#include <vector>

namespace tt::store {
class CaseStore;
}

namespace tt::inference {

using TransferFilter = TransferRecordFilter;
using TransferRow = TransferRecord;

std::vector<TransferRow> listTransfers(store::CaseStore &cs, const TransferFilter &filter);

// What raised (each kind of evidence and its weight) or lowered (the no-source cap) the score.
std::vector<std::string> confidenceReasons(const TransferRow &row);

} // namespace tt::inference
