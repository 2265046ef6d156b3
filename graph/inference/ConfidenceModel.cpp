#include "inference/ConfidenceModel.h"

#include "inference/Candidate.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <set>

namespace tt::inference {

double ConfidenceModel::weight(const std::string &r)
{
    struct W {
        const char *role;
        double w;
    };
    static const W kWeights[] = {
        {role::kDstWrite, 0.80},
        {role::kDstRedirectWrite, 0.80},
        {role::kDstCreate, 0.40},
        {role::kSrcRead, 0.40},
        {role::kSrcOutput, 0.30},
        {role::kSrcCommand, 0.45},
        {role::kDstCommand, 0.45},
        {role::kSrcConnect, 0.25},
        {role::kDstService, 0.30},
        {role::kDstTask, 0.30},
        {role::kDstDropSite, 0.35},
        {role::kDstExec, 0.15},
        {role::kDstImageLoad, 0.50},
        {role::kDstLogon, 0.10},
        {role::kDstConnect, 0.10},
        {role::kSrcFile, 0.10},
        {role::kRdpSession, 0.15},
        {role::kDstShare, 0.05},
        {role::kNetWrite, 0.55},
        {role::kNetRead, 0.50},
        {role::kNetVolume, 0.40},
        {role::kNetAuth, 0.20},
        {role::kNetRelay, 0.10},
        {role::kSrcSyncWrite, 0.25},
        {role::kDstSyncCreate, 0.30},
        {role::kSyncPath, 0.10},
        {role::kSyncHash, 0.60},
    };
    for (const W &w : kWeights)
        if (r == w.role)
            return w.w;
    return 0; // context (parents) adds nothing
}

ConfidenceModel::Terms ConfidenceModel::terms(const std::vector<std::string> &roles)
{
    auto has = [&](const char *r) { return std::find(roles.begin(), roles.end(), r) != roles.end(); };
    Terms t;
    const bool arrival = has(role::kDstWrite) || has(role::kDstCreate) || has(role::kDstRedirectWrite);
    const bool used = has(role::kDstService) || has(role::kDstTask) || has(role::kDstExec);
    t.arrivalUsed = arrival && used;
    t.networkArrival = has(role::kDstWrite) || has(role::kDstRedirectWrite) || t.arrivalUsed;
    return t;
}

double ConfidenceModel::scoreRoles(const std::vector<std::string> &roles, bool hasSource)
{
    double miss = 1.0;
    for (const std::string &r : roles)
        miss *= 1.0 - weight(r);
    const Terms t = terms(roles);
    if (t.arrivalUsed)
        miss *= 1.0 - kArrivalUsed;
    double s = 1.0 - miss;
    // A write nobody can be tied to (no session, only a service start) is a fact about the
    // destination, not yet about an edge between two machines: unless the destination's own
    // records show the file coming in over the network.
    if (!hasSource && !t.networkArrival)
        s = std::min(s, kNoSourceCap);
    return std::round(s * 1000.0) / 1000.0;
}

double ConfidenceModel::score(const Candidate &t)
{
    std::set<std::string> roles;
    for (const Evidence &e : t.evidence)
        roles.insert(e.role);
    return scoreRoles(std::vector<std::string>(roles.begin(), roles.end()), t.srcHost || !t.srcIp.empty());
}

std::vector<std::string> ConfidenceModel::reasons(const std::vector<std::string> &distinctRoles, bool hasSource)
{
    std::vector<std::string> out;
    double miss = 1.0;
    char buf[128];
    for (const std::string &r : distinctRoles) {
        const double w = weight(r);
        miss *= 1.0 - w;
        std::snprintf(buf, sizeof buf, "%s +%.2f", r.c_str(), w);
        out.emplace_back(buf);
    }
    const Terms t = terms(distinctRoles);
    if (t.arrivalUsed) {
        miss *= 1.0 - kArrivalUsed;
        std::snprintf(buf, sizeof buf, "arrival + use of the same file +%.2f", kArrivalUsed);
        out.emplace_back(buf);
    }
    if (!hasSource && !t.networkArrival && 1.0 - miss > kNoSourceCap) {
        std::snprintf(buf, sizeof buf, "no source: capped at %.2f", kNoSourceCap);
        out.emplace_back(buf);
    }
    return out;
}

const char *ConfidenceModel::label(double s)
{
    if (s >= 0.75)
        return "high";
    if (s >= 0.5)
        return "medium";
    return "low";
}

} // namespace tt::inference
