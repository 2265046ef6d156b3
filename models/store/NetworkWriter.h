#pragma once

#include "store/NetworkRows.h"
#include "store/Sqlite.h"

namespace tt::store {

class CaseWriter;

// Writes the network tables inside the CaseWriter's open transaction (one source file), with
// statements prepared once.
class NetworkWriter {
public:
    explicit NetworkWriter(CaseWriter &writer);

    void insertFlow(const NetFlowRow &row);
    void insertFile(const NetFileRow &row);
    void insertAuth(const NetAuthRow &row);
    void insertActivity(const NetActivityRow &row);

private:
    sql::Stmt m_flow, m_file, m_auth, m_activity;
};

} // namespace tt::store
