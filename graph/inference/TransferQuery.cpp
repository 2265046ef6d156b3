#include "inference/TransferQuery.h"

#include "inference/ConfidenceModel.h"

namespace tt::inference {

std::vector<TransferRow> listTransfers(store::CaseStore &cs, const TransferFilter &filter)
{
    return readTransferRecords(cs, filter);
}

std::vector<std::string> confidenceReasons(const TransferRow &row)
{
    return ConfidenceModel::reasons(row.roles, row.srcHostId || !row.sourceIp.empty());
}

} // namespace tt::inference
