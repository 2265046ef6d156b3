#include "inference/SessionLinker.h"

#include "inference/AccountResolver.h"
#include "inference/Candidate.h"
#include "inference/CaseSnapshot.h"
#include "inference/HostResolver.h"
#include "inference/RuleContext.h"
#include "inference/SmbSessions.h"
#include "store/HostName.h"

namespace tt::inference {

void SessionLinker::link(Candidate &c, const std::string &rawIp, int64_t port, const std::string &logonId, int64_t ts,
    int64_t source, const char *rule)
{
    const InferenceConfig &cfg = m_ctx.cfg;
    const std::string ip = store::normaliseIp(rawIp);
    c.srcIp = ip;
    // The source's own record of the connection names the machine without any address mapping.
    if (const SmbSessions::Outbound *out = m_ctx.smb.outboundFrom(ip, port, ts, cfg.smbLookback + cfg.skew);
        out && out->host != c.dstHost) {
        c.srcHost = out->host;
        c.addEvidence(out->event, role::kSrcConnect, rule);
    }
    if (!c.srcHost)
        c.srcHost = m_ctx.hosts.forAddress(ip, ts, source);
    // The session on the destination: same logon id, else same address and port.
    const LogonInfo *logon = m_ctx.smb.logonOf(c.dstHost, logonId, ts, cfg.sameHostSlack);
    if (logon && logon->ts >= ts - cfg.execWindow) {
        c.addEvidence(logon->event, role::kDstLogon, rule);
        if (!c.account && logon->account && !m_ctx.accounts.isServiceIdentity(m_ctx.accounts.canonical(logon->account)))
            c.account = m_ctx.accounts.canonical(logon->account);
    }
    for (const SmbSessions::Start *s : m_ctx.smb.startsOn(c.dstHost, ts - cfg.smbLookback, ts + cfg.sameHostSlack)) {
        if (s->ip != ip)
            continue;
        const bool samePort = port > 0 && s->port == port;
        const bool sameLogon = !logonId.empty() && s->logonId == logonId;
        if (samePort || sameLogon)
            c.addEvidence(s->event, s->role, rule);
    }
}

} // namespace tt::inference
