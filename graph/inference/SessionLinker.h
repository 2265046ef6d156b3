#pragma once

#include <cstdint>
#include <string>

namespace tt::inference {

struct Candidate;
struct RuleContext;

// Ties a destination-side candidate to the SMB session that carried it: the source host (the
// source's own outbound Sysmon 3 from the same address and port beats address resolution), the
// session's 4624 / 5140 / inbound Sysmon 3 as evidence, the account of the logon when missing.
class SessionLinker {
public:
    explicit SessionLinker(RuleContext &ctx)
        : m_ctx(ctx)
    {
    }
    void link(Candidate &c, const std::string &ip, int64_t port, const std::string &logonId, int64_t ts, int64_t source,
        const char *rule);

private:
    RuleContext &m_ctx;
};

} // namespace tt::inference
