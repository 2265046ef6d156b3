#include "inference/AccountResolver.h"

#include "store/EntityRepository.h"
#include "store/HostName.h"

#include <algorithm>
#include <map>
#include <set>

namespace tt::inference {

namespace {
// "THESHIRE.LOCAL" -> "THESHIRE": the NetBIOS name is almost always the first DNS label.
std::string firstLabel(const std::string &domain)
{
    return domain.substr(0, domain.find('.'));
}
} // namespace

// "S-1-5-21-a-b-c-RID" -> "S-1-5-21-a-b-c" (the domain or machine SID); "" for any other SID.
std::string AccountResolver::domainSidOf(const std::string &sid)
{
    if (sid.rfind("S-1-5-21-", 0) != 0)
        return {};
    const size_t last = sid.rfind('-');
    return last > 9 ? sid.substr(0, last) : std::string();
}

bool AccountResolver::isIdentitySid(const std::string &sid)
{
    // Domain / machine accounts (S-1-5-21-...) and Entra ID accounts (S-1-12-1-...) name one
    // identity; every other SID (S-1-5-18, S-1-0-0, S-1-5-7, S-1-5-32-544, S-1-5-90-0-1, ...) is
    // well-known and the same everywhere.
    return !domainSidOf(sid).empty() || sid.rfind("S-1-12-1-", 0) == 0;
}

int64_t AccountResolver::find(int64_t id)
{
    int64_t r = id;
    while (m_parent[r] != r)
        r = m_parent[r];
    while (m_parent[id] != r) {
        const int64_t next = m_parent[id];
        m_parent[id] = r;
        id = next;
    }
    return r;
}

void AccountResolver::unite(int64_t a, int64_t b)
{
    a = find(a);
    b = find(b);
    if (a != b)
        m_parent[std::max(a, b)] = std::min(a, b);
}

void AccountResolver::uniteByDomain(const std::vector<int64_t> &group)
{
    std::map<std::string, int64_t> byLabel;
    std::vector<int64_t> noDomain;
    for (int64_t id : group) {
        const Acc &a = m_accounts[id];
        if (a.domain.empty()) {
            noDomain.push_back(id);
            continue;
        }
        auto [it, fresh] = byLabel.emplace(firstLabel(a.domain), id);
        if (!fresh)
            unite(it->second, id);
    }
    if (byLabel.size() == 1)
        for (int64_t id : noDomain)
            unite(byLabel.begin()->second, id);
}

void AccountResolver::load()
{
    for (store::AccountRow &a : m_entities.accounts()) {
        m_parent[a.id] = a.id;
        m_accounts.emplace(a.id, std::move(a));
    }
    std::vector<int64_t> ids;
    for (const auto &kv : m_accounts)
        ids.push_back(kv.first);
    std::sort(ids.begin(), ids.end());
    // Same SID: one account whatever the spelling, but only where a SID names one identity.
    // Well-known SIDs (SYSTEM, LOCAL / NETWORK SERVICE, the NULL SID, ANONYMOUS, BUILTIN groups,
    // DWM / UMFD sessions) are the same on every machine. A local account's SID is unique only per
    // machine image: cloned VMs share the machine SID, so IEWIN7\IEUser and PC01\IEUser both hold
    // S-1-5-21-...-1000. Such SIDs join only spellings of the same machine.
    std::set<std::string> hostNames;
    for (const std::string &n : m_entities.hostNames())
        hostNames.insert(store::toUpperAscii(n));
    std::map<std::string, std::set<std::string>> labelsOfDomainSid; // domain SID -> domain labels seen
    std::set<std::string> machineSids;
    for (int64_t id : ids) {
        const Acc &a = m_accounts[id];
        const std::string ds = domainSidOf(a.sid);
        if (ds.empty() || a.domain.empty())
            continue;
        labelsOfDomainSid[ds].insert(firstLabel(a.domain));
        if (hostNames.count(a.domain) || hostNames.count(firstLabel(a.domain)))
            machineSids.insert(ds);
    }
    for (const auto &[ds, labels] : labelsOfDomainSid)
        if (labels.size() > 1) // a domain has one name; one SID under two names is a cloned machine
            machineSids.insert(ds);
    std::map<std::string, std::vector<int64_t>> bySid;
    for (int64_t id : ids)
        if (isIdentitySid(m_accounts[id].sid))
            bySid[m_accounts[id].sid].push_back(id);
    for (const auto &[sid, group] : bySid) {
        if (!machineSids.count(domainSidOf(sid))) {
            for (int64_t id : group)
                unite(group.front(), id);
            continue;
        }
        // A machine-local SID: spellings of one machine join; a domain-less spelling joins
        // only when a single machine holds the SID.
        uniteByDomain(group);
    }
    // Same name in NetBIOS and DNS spellings of one domain. Local accounts of two machines
    // (PC01\Administrator, PC02\Administrator) keep different domains and stay apart; a
    // domain-less spelling joins only when exactly one domain uses that name.
    std::map<std::string, std::vector<int64_t>> byName;
    for (int64_t id : ids)
        byName[m_accounts[id].nameKey].push_back(id);
    for (const auto &[key, group] : byName)
        uniteByDomain(group);
    // Canonical spelling: a NetBIOS domain (what analysts write), then one with a SID, then the oldest.
    std::map<int64_t, int64_t> best;
    auto score = [&](const Acc &a) {
        int s = 0;
        if (!a.domain.empty())
            s += 4;
        if (!a.domain.empty() && a.domain.find('.') == std::string::npos)
            s += 2;
        if (!a.sid.empty())
            s += 1;
        return s;
    };
    for (int64_t id : ids) {
        const int64_t root = find(id);
        auto it = best.find(root);
        if (it == best.end() || score(m_accounts[id]) > score(m_accounts[it->second]))
            best[root] = id;
    }
    std::vector<store::AccountLinkRow> links;
    for (int64_t id : ids) {
        const int64_t c = best[find(id)];
        m_canonical[id] = c;
        if (c == id)
            continue;
        const Acc &a = m_accounts[id];
        const Acc &b = m_accounts[c];
        const char *how = (!a.sid.empty() && a.sid == b.sid && isIdentitySid(a.sid)) ? "sid"
            : a.domain.empty()                                                       ? "name-only"
                                                                                     : "dns-domain";
        links.push_back({id, c, how});
    }
    m_entities.replaceAccountLinks(links);
    m_links = links.size();
}

int64_t AccountResolver::canonical(int64_t account) const
{
    auto it = m_canonical.find(account);
    return it == m_canonical.end() ? account : it->second;
}

bool AccountResolver::isServiceIdentity(int64_t account) const
{
    auto it = m_accounts.find(account);
    if (it == m_accounts.end())
        return false;
    const Acc &a = it->second;
    if (a.machine)
        return true;
    static const char *const kNames[]
        = {"SYSTEM", "LOCAL SERVICE", "NETWORK SERVICE", "ANONYMOUS LOGON", "LOCALSYSTEM", "DWM-1", "UMFD-0", "UMFD-1"};
    for (const char *n : kNames)
        if (a.nameKey == n)
            return true;
    return a.sid == "S-1-5-18" || a.sid == "S-1-5-19" || a.sid == "S-1-5-20" || a.sid == "S-1-5-7"
        || a.sid.rfind("S-1-5-90-", 0) == 0 || a.sid.rfind("S-1-5-96-", 0) == 0;
}

std::string AccountResolver::display(int64_t account) const
{
    auto it = m_accounts.find(account);
    if (it == m_accounts.end())
        return {};
    const Acc &a = it->second;
    return a.domain.empty() ? a.name : a.domain + '\\' + a.name;
}

} // namespace tt::inference
