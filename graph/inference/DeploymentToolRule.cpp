#include "inference/DeploymentToolRule.h"

#include "inference/CaseSnapshot.h"
#include "inference/RuleContext.h"
#include "inference/WinPath.h"
#include "store/InferenceRepository.h"

#include <unordered_map>

namespace tt::inference {

namespace {
// A deployment tool as its vendor documents it: where it stages files (`places`, substrings of
// the lower-case path with '\' separators; Linux paths too) and the names of its processes and
// services (`actors`, substrings of a lower-case image, command line or service name).
struct Tool {
    const char *id;
    const char *title;
    std::initializer_list<const char *> places;
    std::initializer_list<const char *> actors;
};

const Tool kTools[] = {
    // Client push copies ccmsetup.exe to ADMIN$\ccmsetup and installs the ccmsetup service; the
    // client (CcmExec.exe) downloads content into %windir%\ccmcache.
    {"sccm", "SCCM / ConfigMgr", {"\\windows\\ccmsetup\\", "\\windows\\ccmcache\\", "\\windows\\ccm\\"},
        {"ccmexec", "ccmsetup", "smsexec", "sms_client_config_manager"}},
    // PDQ Deploy copies its runner service to ADMIN$\AdminArsenal\PDQDeployRunner\service-N.
    {"pdq", "PDQ Deploy", {"\\adminarsenal\\pdqdeployrunner\\", "\\adminarsenal\\pdqdeploy"},
        {"pdqdeployrunner", "pdqdeployservice", "pdqdeployconsole"}},
    // Group Policy software installation: msiexec installs a package from SYSVOL or a share.
    {"gpo", "GPO software installation", {"\\sysvol\\", "\\windows\\installer\\"}, {"msiexec"}},
    {"intune", "Intune Management Extension", {"\\microsoft intune management extension\\", "\\windows\\imecache\\"},
        {"intunemanagementextension", "agentexecutor"}},
    // Ansible copies AnsiballZ_<module>.py into ~/.ansible/tmp/ansible-tmp-* and runs it.
    {"ansible", "Ansible", {"\\.ansible\\tmp\\"}, {"ansible", "ansiballz_"}},
    {"salt", "Salt", {"\\var\\cache\\salt\\", "_salt\\"}, {"salt-minion", "salt-call", "salt-ssh"}},
    {"puppet", "Puppet",
        {"\\opt\\puppetlabs\\puppet\\cache\\", "\\var\\lib\\puppet\\", "\\puppetlabs\\puppet\\cache\\"},
        {"puppet agent", "puppet.bat", "\\puppet"}},
    {"chef", "Chef", {"\\var\\chef\\", "\\chef\\cache\\", "\\opscode\\chef\\"}, {"chef-client", "chef-solo"}},
};

const char *matchIn(const std::string &lowered, std::initializer_list<const char *> needles)
{
    for (const char *n : needles)
        if (lowered.find(n) != std::string::npos)
            return n;
    return nullptr;
}

// Service installs by event id, for the evidence of a transfer (a process is read from the store
// by its event, a file create from its event's host: the snapshot does not hold every process or
// file event).
struct ByEvent {
    std::unordered_map<int64_t, const ServiceInfo *> services;

    explicit ByEvent(const CaseSnapshot &snap)
    {
        for (const auto &[host, rows] : snap.services.all())
            for (const ServiceInfo &s : rows)
                services.emplace(s.event, &s);
    }
};

// The first file create of an event (in the host's (ts, event) order), valid until the next trim.
const FileCreateInfo *fileCreateOf(const RuleContext &ctx, int64_t event)
{
    const int64_t host = ctx.repo.eventHost(event);
    if (!host)
        return nullptr;
    for (const FileCreateInfo &f : ctx.snap.fileCreates.of(host))
        if (f.event == event)
            return &f;
    return nullptr;
}

// What took part in a transfer, as lower-case text with a note of where it came from.
struct Actor {
    std::string text;
    const char *what;
};

void addProcessChain(const CaseSnapshot &snap, const ProcessInfo *p, const char *what, std::vector<Actor> &out)
{
    for (int depth = 0; p && depth < 3; ++depth, p = snap.parentOf(*p)) {
        out.push_back({WinPath::key(p->image), what});
        out.push_back({WinPath::key(p->cmd), what});
        if (depth == 0 && !p->parentImage.empty())
            out.push_back({WinPath::key(p->parentImage), what});
    }
}

std::vector<Actor> actorsOf(const RuleContext &ctx, const ByEvent &rows, const Candidate &t)
{
    const CaseSnapshot &snap = ctx.snap;
    std::vector<Actor> out;
    addProcessChain(snap, snap.processById(t.srcProcess), "source process", out);
    addProcessChain(snap, snap.processById(t.dstProcess), "process that ran it", out);
    for (const Evidence &e : t.evidence) {
        if (const ProcessInfo *p = snap.processes.byEvent(e.event))
            addProcessChain(snap, p, e.role, out);
        if (const FileCreateInfo *f = fileCreateOf(ctx, e.event))
            out.push_back({WinPath::key(f->image), "writer"});
        if (auto it = rows.services.find(e.event); it != rows.services.end()) {
            out.push_back({WinPath::key(it->second->name), "service"});
            out.push_back({WinPath::key(it->second->imagePath), "service"});
        }
    }
    return out;
}
} // namespace

void DeploymentToolRule::refine(RuleContext &ctx, std::vector<Candidate> &transfers)
{
    const ByEvent rows(ctx.snap);
    for (Candidate &t : transfers) {
        ctx.snap.processes.trim(); // nothing of the previous transfer is held
        const std::string dst = WinPath::key(t.dstPath.empty() ? t.fileName : t.dstPath);
        const std::string src = WinPath::key(t.srcPath);
        std::vector<Actor> actors; // filled on the first place that matches
        bool loaded = false;
        for (const Tool &tool : kTools) {
            const char *place = matchIn(dst, tool.places);
            const char *where = "destination path";
            if (!place && !src.empty()) {
                place = matchIn(src, tool.places);
                where = "source path";
            }
            if (!place)
                continue;
            if (!loaded) {
                actors = actorsOf(ctx, rows, t);
                loaded = true;
            }
            const Actor *who = nullptr;
            const char *actor = nullptr;
            for (const Actor &a : actors)
                if ((actor = matchIn(a.text, tool.actors))) {
                    who = &a;
                    break;
                }
            if (!who)
                continue;
            t.benignTool = tool.id;
            t.benignReason
                = std::string(tool.title) + ": " + where + " under " + place + "; " + who->what + " " + actor;
            break;
        }
    }
}

} // namespace tt::inference
