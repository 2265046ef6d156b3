#include "inference/Candidate.h"

#include <algorithm>
#include <cstring>
#include <tuple>

namespace tt::inference {

const char *methodName(Method m)
{
    switch (m) {
    case Method::SmbAdminShare:
        return "smb-admin-share";
    case Method::SmbShare:
        return "smb-share";
    case Method::PsexecServiceBinary:
        return "psexec-service-binary";
    case Method::RdpTsclient:
        return "rdp-tsclient";
    case Method::Ftp:
        return "ftp";
    case Method::Scp:
        return "scp";
    case Method::Sftp:
        return "sftp";
    case Method::Rsync:
        return "rsync";
    case Method::Http:
        return "http";
    case Method::CloudSync:
        return "cloud-sync";
    case Method::Winrm:
        return "winrm";
    case Method::Airdrop:
        return "airdrop";
    case Method::Other:
        break;
    }
    return "other";
}

const char *directionName(Direction d)
{
    return d == Direction::Push ? "push" : "pull";
}

bool Evidence::operator<(const Evidence &o) const
{
    if (event != o.event)
        return event < o.event;
    if (int c = std::strcmp(role, o.role))
        return c < 0;
    return std::strcmp(rule, o.rule) < 0;
}

bool Evidence::operator==(const Evidence &o) const
{
    return event == o.event && std::strcmp(role, o.role) == 0 && std::strcmp(rule, o.rule) == 0;
}

void Candidate::seenAt(int64_t ts, int64_t host, int64_t slack)
{
    firstTs = lastTs = ts;
    lo = ts - slack;
    hi = ts + slack;
    clockHost = host;
}

void Candidate::addEvidence(int64_t event, const char *r, const char *rule)
{
    if (event > 0)
        evidence.push_back({event, r, rule});
}

void Candidate::addRule(const std::string &rule)
{
    if (std::find(rules.begin(), rules.end(), rule) == rules.end())
        rules.push_back(rule);
}

} // namespace tt::inference
