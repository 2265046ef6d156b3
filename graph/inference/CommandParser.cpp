#include "inference/CommandParser.h"

#include "inference/WinPath.h"

#include <algorithm>
#include <iterator>
#include <tuple>

namespace tt::inference {

namespace {
std::string lower(std::string_view s)
{
    std::string o(s);
    for (char &c : o)
        if (c >= 'A' && c <= 'Z')
            c = static_cast<char>(c + 32);
    return o;
}

// "C:\Windows\system32\xcopy.exe" -> "xcopy".
std::string verbOf(std::string_view token)
{
    std::string v = lower(WinPath::fileName(token));
    if (v.size() > 4 && v.compare(v.size() - 4, 4, ".exe") == 0)
        v.resize(v.size() - 4);
    return v;
}

bool knownVerb(const std::string &v)
{
    static const char *const kVerbs[] = {"copy", "xcopy", "move", "cp", "mv", "copy-item", "move-item", "cpi", "mi",
        "robocopy", "set-content", "out-file", "add-content", "scp", "pscp", "rsync", "smbclient", "curl", "wget",
        "sftp", "bitsadmin", "certutil", "start-bitstransfer", "powershell", "pwsh", "cmd", "esxcli"};
    for (const char *k : kVerbs)
        if (v == k)
            return true;
    return v.find("psexec") != std::string::npos;
}

bool isSeparator(const std::string &t)
{
    return t == "&" || t == "&&" || t == "|" || t == "||" || t == ";" || t == ">" || t == ">>" || t == "1>" || t == "2>"
        || t == "2>&1";
}

bool looksLikeFile(std::string_view name)
{
    const auto dot = name.rfind('.');
    return !name.empty() && dot != std::string_view::npos && dot > 0 && dot + 1 < name.size()
        && name.find_first_of("*?") == std::string_view::npos;
}

bool hasWildcard(std::string_view s)
{
    return s.find_first_of("*?") != std::string_view::npos;
}

struct Remote {
    std::string host, share, path;
    bool ok = false;
};

Remote uncOf(const std::string &arg)
{
    Remote r;
    if (auto u = WinPath::parseUnc(arg); u && !u->share.empty()) {
        r.host = u->host;
        r.share = u->share;
        r.path = u->rest;
        r.ok = true;
    }
    return r;
}

// user@host:path, host:path (not a drive letter, not a URL).
Remote sshSpecOf(const std::string &arg)
{
    Remote r;
    const auto colon = arg.find(':');
    if (colon == std::string::npos || colon < 2 || arg.compare(colon, 3, "://") == 0)
        return r;
    std::string hostPart = arg.substr(0, colon);
    if (const auto at = hostPart.rfind('@'); at != std::string::npos)
        hostPart = hostPart.substr(at + 1);
    if (hostPart.empty() || hostPart.find_first_of("\\/ ") != std::string::npos)
        return r;
    r.host = hostPart;
    r.path = arg.substr(colon + 1);
    r.ok = true;
    return r;
}

// http(s)://host[:port]/path
Remote urlOf(const std::string &arg)
{
    Remote r;
    const std::string l = lower(arg);
    size_t start = 0;
    if (l.compare(0, 7, "http://") == 0)
        start = 7;
    else if (l.compare(0, 8, "https://") == 0)
        start = 8;
    else if (l.compare(0, 6, "ftp://") == 0)
        start = 6;
    else
        return r;
    const auto slash = arg.find('/', start);
    std::string hostPort = arg.substr(start, slash == std::string::npos ? std::string::npos : slash - start);
    if (const auto at = hostPort.rfind('@'); at != std::string::npos)
        hostPort = hostPort.substr(at + 1);
    if (!hostPort.empty() && hostPort.front() == '[') {
        r.host = hostPort.substr(1, hostPort.find(']') - 1);
    } else {
        r.host = hostPort.substr(0, hostPort.find(':'));
    }
    r.path = slash == std::string::npos ? std::string() : arg.substr(slash + 1);
    if (const auto q = r.path.find_first_of("?#"); q != std::string::npos)
        r.path.resize(q);
    r.ok = !r.host.empty();
    return r;
}
} // namespace

std::vector<std::string> CommandParser::tokenize(std::string_view s)
{
    std::vector<std::string> out;
    std::string cur;
    char quote = 0; // '"' anywhere; '\'' only when it opens a token (PowerShell, Unix shells)
    bool any = false;
    for (char c : s) {
        if (quote) {
            if (c == quote)
                quote = 0;
            else
                cur.push_back(c);
            continue;
        }
        if (c == '"' || (c == '\'' && cur.empty() && !any)) {
            quote = c;
            any = true;
            continue;
        }
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
            if (any || !cur.empty())
                out.push_back(cur);
            cur.clear();
            any = false;
            continue;
        }
        cur.push_back(c);
    }
    if (any || !cur.empty())
        out.push_back(cur);
    return out;
}

bool CommandParser::mayMoveFiles(std::string_view cmd)
{
    // ('//' is '\\\\' for WinPath's comparison.)
    return WinPath::containsAnyI(cmd,
        {"\\\\", "scp", "rsync", "sftp", "curl", "wget", "bitsadmin", "certutil", "Start-BitsTransfer",
            "FileSystem::"});
}

std::vector<ParsedMove> CommandParser::parse(std::string_view commandLine)
{
    std::vector<ParsedMove> out;
    std::vector<std::string> tokens = tokenize(commandLine);
    // cmd /c "xcopy a b" and powershell -c "Copy-Item ...": the quoted command is one token; split
    // it again when it starts with a command we read.
    for (size_t i = 0; i < tokens.size(); ++i) {
        if (tokens[i].find(' ') == std::string::npos)
            continue;
        std::vector<std::string> inner = tokenize(tokens[i]);
        if (inner.size() < 2 || !knownVerb(verbOf(inner[0])))
            continue;
        tokens.erase(tokens.begin() + static_cast<std::ptrdiff_t>(i));
        tokens.insert(tokens.begin() + static_cast<std::ptrdiff_t>(i), inner.begin(), inner.end());
        i += inner.size() - 1;
    }
    for (size_t i = 0; i < tokens.size(); ++i) {
        // PowerShell statements end at ';' glued to a token too.
        const std::string v = verbOf(tokens[i]);
        auto argsFrom = [&](size_t from) {
            std::vector<std::string> a;
            for (size_t j = from; j < tokens.size() && !isSeparator(tokens[j]); ++j) {
                std::string t = tokens[j];
                const bool end = !t.empty() && t.back() == ';';
                if (end)
                    t.pop_back();
                if (!t.empty())
                    a.push_back(t);
                if (end)
                    break;
            }
            return a;
        };
        if (v == "copy" || v == "xcopy" || v == "move" || v == "cp" || v == "mv" || v == "copy-item" || v == "move-item"
            || v == "cpi" || v == "mi" || v == "cpy") {
            parseCopy(v, argsFrom(i + 1), v.find('-') != std::string::npos || v == "cpi" || v == "mi", out);
        } else if (v == "robocopy") {
            parseRobocopy(argsFrom(i + 1), out);
        } else if (v == "set-content" || v == "out-file" || v == "add-content" || v == "sc" || v == "ac") {
            parseWriteCmdlet(v, argsFrom(i + 1), out);
        } else if (v == "scp" || v == "pscp" || v == "rsync") {
            parseScp(v, argsFrom(i + 1), out);
        } else if (v == "smbclient") {
            parseSmbclient(argsFrom(i + 1), out);
        } else if (v == "sftp") {
            parseSftp(argsFrom(i + 1), out);
        } else if (v == "wget") {
            parseWget(argsFrom(i + 1), out);
        } else if (v == "curl") {
            parseCurl(argsFrom(i + 1), out);
        } else if (v == "bitsadmin" || v == "certutil" || v == "start-bitstransfer") {
            parseUrlPull(v, argsFrom(i + 1), out);
        } else if (v == "esxcli") {
            parseEsxcli(argsFrom(i + 1), out);
        } else if (i == 0 || v.find("psexec") != std::string::npos || v.find("paexec") != std::string::npos) {
            // PsExec and renamed copies: the image itself is the verb.
            parsePsexec(argsFrom(i + 1), out);
        }
    }
    // The same move read twice (cmd /c copy ... spawning copy): keep one.
    std::sort(out.begin(), out.end(), [](const ParsedMove &a, const ParsedMove &b) {
        return std::tie(a.host, a.remotePath, a.localPath, a.fileName, a.push)
            < std::tie(b.host, b.remotePath, b.localPath, b.fileName, b.push);
    });
    out.erase(std::unique(out.begin(), out.end(),
                  [](const ParsedMove &a, const ParsedMove &b) {
                      return a.host == b.host && a.remotePath == b.remotePath && a.localPath == b.localPath
                          && a.fileName == b.fileName && a.push == b.push;
                  }),
        out.end());
    return out;
}

void CommandParser::addPair(const std::string &tool, const std::string &from, const std::string &to,
    const std::string &explicitFile, std::vector<ParsedMove> &out)
{
    const Remote rf = uncOf(from), rt = uncOf(to);
    if (rf.ok == rt.ok)
        return; // both local (a local copy) or both remote (server to server: not this host's move)
    ParsedMove m;
    m.kind = ParsedMove::Kind::Share;
    m.tool = tool;
    m.push = rt.ok;
    const Remote &r = rt.ok ? rt : rf;
    m.host = r.host;
    m.share = r.share;
    const std::string &localSide = rt.ok ? from : to;
    const std::string srcLeaf(WinPath::fileName(from));
    const std::string dstLeaf(WinPath::fileName(rt.ok ? r.path : to));
    // The destination is a folder when it ends with a separator or its last part has no
    // extension while the source's has: copy x.exe \\h\C$\Users\Public\ .
    const bool dstIsDir = (!to.empty() && (to.back() == '\\' || to.back() == '/'))
        || (!looksLikeFile(dstLeaf) && looksLikeFile(srcLeaf)) || (rt.ok && r.path.empty());
    std::string file = explicitFile.empty() ? (dstIsDir ? srcLeaf : dstLeaf) : explicitFile;
    if (file.empty() || hasWildcard(file))
        return;
    m.fileName = file;
    auto withFile = [&](std::string dir) {
        while (!dir.empty() && (dir.back() == '\\' || dir.back() == '/'))
            dir.pop_back();
        return dir.empty() ? file : dir + '\\' + file;
    };
    if (m.push) {
        m.remotePath = dstIsDir ? withFile(r.path) : r.path;
        m.localPath = explicitFile.empty() ? localSide : withFile(localSide);
    } else {
        m.remotePath = explicitFile.empty() ? r.path : withFile(r.path);
        m.localPath = dstIsDir ? withFile(localSide) : localSide;
    }
    out.push_back(std::move(m));
}

void CommandParser::parseCopy(
    const std::string &verb, const std::vector<std::string> &args, bool powershell, std::vector<ParsedMove> &out)
{
    std::vector<std::string> pos;
    std::string path, dest;
    for (size_t i = 0; i < args.size(); ++i) {
        const std::string &a = args[i];
        const std::string l = lower(a);
        if (powershell && !a.empty() && a[0] == '-') {
            const bool takesValue = l == "-path" || l == "-literalpath" || l == "-destination" || l == "-filter"
                || l == "-include" || l == "-exclude" || l == "-tosession" || l == "-fromsession" || l == "-credential";
            if (takesValue && i + 1 < args.size()) {
                if (l == "-path" || l == "-literalpath")
                    path = args[i + 1];
                else if (l == "-destination")
                    dest = args[i + 1];
                ++i;
            }
            continue;
        }
        if (!powershell && !a.empty() && a[0] == '/')
            continue; // copy /y, xcopy /q
        if (a.find('+') != std::string::npos && !powershell)
            continue; // copy a+b c: concatenation
        pos.push_back(a);
    }
    size_t next = 0;
    if (path.empty() && !pos.empty()) {
        path = pos[0];
        next = 1;
    }
    if (dest.empty() && pos.size() > next)
        dest = pos.back();
    if (path.empty() || dest.empty())
        return;
    addPair(verb, path, dest, {}, out);
}

void CommandParser::parseRobocopy(const std::vector<std::string> &args, std::vector<ParsedMove> &out)
{
    std::vector<std::string> pos;
    for (const std::string &a : args)
        if (!a.empty() && a[0] != '/')
            pos.push_back(a);
    if (pos.size() < 2)
        return;
    // robocopy SRCDIR DSTDIR [file ...]: without file names it copies the folder.
    for (size_t i = 2; i < pos.size(); ++i)
        addPair("robocopy", pos[0], pos[1] + '\\', pos[i], out);
}

void CommandParser::parseWriteCmdlet(
    const std::string &verb, const std::vector<std::string> &args, std::vector<ParsedMove> &out)
{
    std::string target;
    for (size_t i = 0; i + 1 < args.size() && target.empty(); ++i) {
        const std::string l = lower(args[i]);
        if (l == "-path" || l == "-filepath" || l == "-literalpath" || l == "-pspath")
            target = args[i + 1];
    }
    // Else the first positional argument; other named parameters take the token after them,
    // except the switches.
    static const char *const kSwitches[]
        = {"-force", "-append", "-noclobber", "-nonewline", "-confirm", "-whatif", "-passthru", "-asbytestream"};
    for (size_t i = 0; i < args.size() && target.empty(); ++i) {
        const std::string l = lower(args[i]);
        if (!l.empty() && l[0] == '-') {
            if (std::find(std::begin(kSwitches), std::end(kSwitches), l) == std::end(kSwitches))
                ++i;
            continue;
        }
        target = args[i];
    }
    const Remote r = uncOf(target);
    if (!r.ok || r.path.empty())
        return;
    ParsedMove m;
    m.tool = verb;
    m.push = true;
    m.host = r.host;
    m.share = r.share;
    m.remotePath = r.path;
    m.fileName = std::string(WinPath::fileName(r.path));
    if (!m.fileName.empty() && !hasWildcard(m.fileName))
        out.push_back(std::move(m));
}

void CommandParser::parsePsexec(const std::vector<std::string> &args, std::vector<ParsedMove> &out)
{
    // psexec \\host [options] -c [-f|-v] program [arguments]: program is copied to ADMIN$.
    std::string host;
    size_t i = 0;
    for (; i < args.size(); ++i) {
        const std::string &a = args[i];
        if (a.size() > 2 && a[0] == '\\' && a[1] == '\\' && a.find_first_of("\\/", 2) == std::string::npos) {
            host = a.substr(2);
            break;
        }
    }
    if (host.empty())
        return;
    bool copy = false;
    static const char *const kWithValue[] = {"-u", "-p", "-n", "-w", "-r", "-a", "-cf"};
    for (++i; i < args.size(); ++i) {
        const std::string l = lower(args[i]);
        if (l == "-c") {
            copy = true;
            continue;
        }
        if (!l.empty() && l[0] == '-') {
            if (std::find(std::begin(kWithValue), std::end(kWithValue), l) != std::end(kWithValue))
                ++i;
            continue;
        }
        if (!copy)
            return;
        ParsedMove m;
        m.tool = "psexec -c";
        m.push = true;
        m.host = host;
        m.share = "ADMIN$";
        m.fileName = std::string(WinPath::fileName(args[i]));
        m.remotePath = m.fileName;
        m.localPath = args[i];
        if (looksLikeFile(m.fileName))
            out.push_back(std::move(m));
        return;
    }
}

void CommandParser::parseScp(
    const std::string &verb, const std::vector<std::string> &args, std::vector<ParsedMove> &out)
{
    std::vector<std::string> pos;
    static const char *const kWithValue[]
        = {"-P", "-i", "-o", "-l", "-pw", "-F", "-e", "-c", "-S", "-J", "-D", "-X", "-p2"};
    for (size_t i = 0; i < args.size(); ++i) {
        const std::string &a = args[i];
        if (!a.empty() && a[0] == '-') {
            if (std::find(std::begin(kWithValue), std::end(kWithValue), a) != std::end(kWithValue)
                && !(verb != "pscp" && a == "-p2"))
                ++i;
            continue;
        }
        pos.push_back(a);
    }
    if (pos.size() < 2)
        return;
    // A path names a folder when it ends with a separator, is "." / "~" or its last part has no
    // extension while the other end's has.
    auto isDir = [](const std::string &p, std::string_view otherLeaf) {
        if (p.empty() || p.back() == '/' || p.back() == '\\' || p == "." || p == "~" || p == "..")
            return true;
        return !looksLikeFile(WinPath::fileName(p)) && looksLikeFile(otherLeaf);
    };
    auto join = [](std::string dir, const std::string &file) {
        if (dir.empty() || dir == "." || dir == "~")
            return file; // relative to the home / working directory: folder unknown
        const char sep = dir.find('\\') != std::string::npos && dir.find('/') == std::string::npos ? '\\' : '/';
        while (!dir.empty() && (dir.back() == '/' || dir.back() == '\\'))
            dir.pop_back();
        return dir + sep + file;
    };
    const Remote last = sshSpecOf(pos.back());
    for (size_t i = 0; i + 1 < pos.size(); ++i) {
        const Remote first = sshSpecOf(pos[i]);
        if (last.ok == first.ok)
            continue;
        ParsedMove m;
        m.kind = ParsedMove::Kind::Ssh;
        m.tool = verb;
        m.push = last.ok;
        const Remote &r = last.ok ? last : first;
        m.host = r.host;
        if (m.push) {
            const std::string srcLeaf(WinPath::fileName(pos[i]));
            const bool dir = isDir(r.path, srcLeaf);
            m.fileName = dir ? srcLeaf : std::string(WinPath::fileName(r.path));
            m.remotePath = dir ? join(r.path, m.fileName) : r.path;
            m.localPath = pos[i];
        } else {
            const std::string srcLeaf(WinPath::fileName(r.path));
            const bool dir = isDir(pos.back(), srcLeaf);
            m.fileName = dir ? srcLeaf : std::string(WinPath::fileName(pos.back()));
            m.remotePath = r.path;
            m.localPath = dir ? join(pos.back(), m.fileName) : pos.back();
        }
        // Without an extension a name is taken only when the other end is plainly a folder
        // (scp /tmp/agent host:/tmp/, scp host:/etc/passwd .).
        const std::string &other = m.push ? r.path : pos.back();
        const bool plainDir
            = other.empty() || other.back() == '/' || other.back() == '\\' || other == "." || other == "~";
        if (looksLikeFile(m.fileName)
            || (plainDir && !m.fileName.empty() && !hasWildcard(m.fileName) && m.fileName != "." && m.fileName != ".."
                && m.fileName != "~"))
            out.push_back(std::move(m));
    }
}

void CommandParser::parseSftp(const std::vector<std::string> &args, std::vector<ParsedMove> &out)
{
    // sftp [-b batch] [options] [user@]host[:path [localdir]]: with a path, a download; with
    // a batch file (or interactive) the files are not on the command line (fileName empty: the
    // rule reads the server's sftp-server log for them).
    static const char *const kWithValue[]
        = {"-P", "-i", "-o", "-l", "-F", "-c", "-S", "-J", "-D", "-B", "-R", "-s", "-X"};
    std::vector<std::string> pos;
    bool batch = false;
    for (size_t i = 0; i < args.size(); ++i) {
        const std::string &a = args[i];
        if (a == "-b") {
            batch = true;
            ++i;
            continue;
        }
        if (!a.empty() && a[0] == '-') {
            if (std::find(std::begin(kWithValue), std::end(kWithValue), a) != std::end(kWithValue))
                ++i;
            continue;
        }
        pos.push_back(a);
    }
    if (pos.empty())
        return;
    ParsedMove m;
    m.kind = ParsedMove::Kind::Ssh;
    m.tool = "sftp";
    const Remote r = sshSpecOf(pos[0]);
    if (r.ok && !batch) {
        m.push = false;
        m.host = r.host;
        m.remotePath = r.path;
        m.fileName = std::string(WinPath::fileName(r.path));
        if (!looksLikeFile(m.fileName))
            return;
        if (pos.size() > 1) {
            std::string dir = pos[1];
            while (!dir.empty() && dir.back() == '/')
                dir.pop_back();
            m.localPath = dir + '/' + m.fileName;
        }
        out.push_back(std::move(m));
        return;
    }
    std::string host = r.ok ? r.host : pos[0];
    if (const auto at = host.rfind('@'); at != std::string::npos)
        host = host.substr(at + 1);
    if (host.empty() || host.find_first_of("/\\ ") != std::string::npos)
        return;
    m.push = true; // direction unknown until the server says which files were written
    m.host = host;
    out.push_back(std::move(m));
}

void CommandParser::parseWget(const std::vector<std::string> &args, std::vector<ParsedMove> &out)
{
    // wget [-O file | --output-document=file] [-P dir] URL...
    std::string output, dir;
    std::vector<std::string> urls;
    for (size_t i = 0; i < args.size(); ++i) {
        const std::string &a = args[i];
        if ((a == "-O" || a == "--output-document") && i + 1 < args.size())
            output = args[++i];
        else if (a.rfind("--output-document=", 0) == 0)
            output = a.substr(18);
        else if ((a == "-P" || a == "--directory-prefix") && i + 1 < args.size())
            dir = args[++i];
        else if (a.rfind("--directory-prefix=", 0) == 0)
            dir = a.substr(19);
        else if (urlOf(a).ok)
            urls.push_back(a);
    }
    for (const std::string &u : urls) {
        const Remote r = urlOf(u);
        ParsedMove m;
        m.kind = ParsedMove::Kind::Http;
        m.tool = "wget";
        m.push = false;
        m.host = r.host;
        m.remotePath = r.path;
        const std::string leaf(WinPath::fileName(r.path));
        if (!output.empty() && output != "-") {
            m.localPath = output;
            m.fileName = std::string(WinPath::fileName(output));
        } else {
            m.fileName = leaf;
            if (!dir.empty())
                m.localPath = dir + (dir.back() == '/' ? "" : "/") + leaf;
        }
        if (looksLikeFile(m.fileName))
            out.push_back(std::move(m));
    }
}

void CommandParser::parseSmbclient(const std::vector<std::string> &args, std::vector<ParsedMove> &out)
{
    std::string service, commands;
    for (size_t i = 0; i < args.size(); ++i) {
        if ((args[i] == "-c" || args[i] == "--command") && i + 1 < args.size())
            commands = args[++i];
        else if (service.empty() && args[i].size() > 2 && (args[i][0] == '/' || args[i][0] == '\\'))
            service = args[i];
    }
    const Remote r = uncOf(service);
    if (!r.ok || commands.empty())
        return;
    // "put local [remote]; get remote [local]"
    size_t start = 0;
    while (start < commands.size()) {
        auto end = commands.find(';', start);
        const std::vector<std::string> t
            = tokenize(commands.substr(start, end == std::string::npos ? end : end - start));
        start = end == std::string::npos ? commands.size() : end + 1;
        if (t.size() < 2)
            continue;
        const std::string v = lower(t[0]);
        if (v != "put" && v != "get")
            continue;
        ParsedMove m;
        m.kind = ParsedMove::Kind::Smbclient;
        m.tool = "smbclient " + v;
        m.push = v == "put";
        m.host = r.host;
        m.share = r.share;
        const std::string &remote = m.push ? (t.size() > 2 ? t[2] : t[1]) : t[1];
        m.remotePath = r.path.empty() ? remote : r.path + '\\' + remote;
        m.localPath = m.push ? t[1] : (t.size() > 2 ? t[2] : t[1]);
        m.fileName = std::string(WinPath::fileName(remote));
        if (looksLikeFile(m.fileName))
            out.push_back(std::move(m));
    }
}

void CommandParser::parseCurl(const std::vector<std::string> &args, std::vector<ParsedMove> &out)
{
    std::string upload, url, output;
    bool remoteName = false;
    for (size_t i = 0; i < args.size(); ++i) {
        const std::string &a = args[i];
        if ((a == "-T" || a == "--upload-file") && i + 1 < args.size())
            upload = args[++i];
        else if ((a == "-o" || a == "--output") && i + 1 < args.size())
            output = args[++i];
        else if (a == "-O" || a == "--remote-name"
            || (a.size() > 2 && a[0] == '-' && a[1] != '-' && a.find('O') != std::string::npos
                && a.find_first_not_of("-sSfLOkvq#") == std::string::npos)) // -sO, -fsSLO ...
            remoteName = true;
        else if (urlOf(a).ok)
            url = a;
    }
    const Remote r = urlOf(url);
    if (!r.ok)
        return;
    ParsedMove m;
    m.kind = ParsedMove::Kind::Http;
    m.host = r.host;
    m.remotePath = r.path;
    if (!upload.empty()) {
        m.tool = "curl -T";
        m.push = true;
        m.localPath = upload;
        m.fileName = std::string(WinPath::fileName(upload));
    } else {
        // A download: to -o FILE, to the URL's name (-O), or to standard output (piped to a
        // shell or redirected): still the file crossing, named by the URL.
        m.tool = "curl";
        m.push = false;
        if (!output.empty() && output != "-") {
            m.localPath = output;
            m.fileName = std::string(WinPath::fileName(output));
        } else {
            m.fileName = std::string(WinPath::fileName(r.path));
        }
        (void)remoteName;
    }
    if (looksLikeFile(m.fileName))
        out.push_back(std::move(m));
}

void CommandParser::parseUrlPull(
    const std::string &verb, const std::vector<std::string> &args, std::vector<ParsedMove> &out)
{
    // bitsadmin /transfer job [/download] URL LOCAL; certutil -urlcache -split -f URL [LOCAL];
    // Start-BitsTransfer -Source URL -Destination LOCAL.
    std::string url, local;
    for (size_t i = 0; i < args.size(); ++i) {
        if (urlOf(args[i]).ok) {
            url = args[i];
            if (i + 1 < args.size() && args[i + 1][0] != '-' && args[i + 1][0] != '/')
                local = args[i + 1];
            else if (i + 2 < args.size() && lower(args[i + 1]) == "-destination")
                local = args[i + 2];
            break;
        }
    }
    addUrlPull(verb, url, local, out);
}

void CommandParser::addUrlPull(
    const std::string &tool, const std::string &url, const std::string &local, std::vector<ParsedMove> &out)
{
    const Remote r = urlOf(url);
    if (!r.ok)
        return;
    ParsedMove m;
    m.kind = ParsedMove::Kind::Http;
    m.tool = tool;
    m.push = false;
    m.host = r.host;
    m.remotePath = r.path;
    m.localPath = local;
    m.fileName = std::string(WinPath::fileName(local.empty() ? r.path : local));
    if (looksLikeFile(m.fileName))
        out.push_back(std::move(m));
}

void CommandParser::parseEsxcli(const std::vector<std::string> &args, std::vector<ParsedMove> &out)
{
    // esxcli software vib install|update -d|--depot DEPOT_URL / -v|--viburl VIB_URL, and
    // esxcli software component apply / profile update -d URL: ESXi fetches the depot or VIB.
    if (args.size() < 3 || lower(args[0]) != "software")
        return;
    for (size_t i = 1; i < args.size(); ++i) {
        const std::string a = lower(args[i]);
        std::string url;
        if ((a == "-d" || a == "--depot" || a == "-v" || a == "--viburl") && i + 1 < args.size())
            url = args[++i];
        else if (a.rfind("--depot=", 0) == 0 || a.rfind("--viburl=", 0) == 0)
            url = args[i].substr(args[i].find('=') + 1);
        if (!url.empty())
            addUrlPull("esxcli software", url, {}, out);
    }
}

std::vector<ParsedMove> CommandParser::parseRemoteName(std::string_view remote)
{
    std::vector<ParsedMove> out;
    const std::string r(remote);
    if (urlOf(r).ok) {
        parseUrlPull("bits", {r}, out);
        return out;
    }
    if (const auto unc = WinPath::parseUnc(r)) {
        ParsedMove m;
        m.kind = ParsedMove::Kind::Share;
        m.tool = "bits";
        m.push = false;
        m.host = unc->host;
        m.share = WinPath::shareShortName(unc->share);
        m.remotePath = unc->rest;
        m.fileName = std::string(WinPath::fileName(unc->rest));
        if (looksLikeFile(m.fileName))
            out.push_back(std::move(m));
    }
    return out;
}

namespace {
// The statements of a script: lines, split at ';' and '|' (quotes are not tracked: a path with
// ';' in it is cut, which only loses that copy).
std::vector<std::string_view> statements(std::string_view script)
{
    std::vector<std::string_view> out;
    size_t start = 0;
    for (size_t i = 0; i <= script.size(); ++i)
        if (i == script.size() || script[i] == '\n' || script[i] == ';' || script[i] == '|') {
            if (i > start)
                out.push_back(script.substr(start, i - start));
            start = i + 1;
        }
    return out;
}

// -ComputerName X / -cn X / -ComputerName:X, else the first positional argument, among args.
std::string computerArg(const std::vector<std::string> &args, size_t from)
{
    std::string positional;
    for (size_t i = from; i < args.size(); ++i) {
        std::string a = args[i];
        while (!a.empty() && a.back() == ')')
            a.pop_back();
        const std::string l = lower(a);
        if (l.rfind("-computername:", 0) == 0 || l.rfind("-cn:", 0) == 0)
            return a.substr(a.find(':') + 1);
        if ((l == "-computername" || l == "-cn") && i + 1 < args.size()) {
            std::string v = args[i + 1];
            while (!v.empty() && v.back() == ')')
                v.pop_back();
            return v;
        }
        if (!a.empty() && a[0] == '-') {
            ++i; // a parameter with its value (-Credential $c, -Port 5986)
            continue;
        }
        if (positional.empty() && !a.empty())
            positional = a;
    }
    return positional;
}
} // namespace

std::vector<SessionCopy> CommandParser::parseSessionCopies(std::string_view script)
{
    std::vector<SessionCopy> out;
    for (std::string_view st : statements(script)) {
        if (!WinPath::containsI(st, "session"))
            continue;
        const std::vector<std::string> args = tokenize(st);
        size_t verb = 0;
        while (verb < args.size() && lower(args[verb]) != "copy-item" && lower(args[verb]) != "cpi"
            && lower(args[verb]) != "copy")
            ++verb;
        if (verb == args.size())
            continue;
        SessionCopy c;
        bool haveSession = false;
        std::vector<std::string> positional;
        for (size_t i = verb + 1; i < args.size(); ++i) {
            const std::string l = lower(args[i]);
            const bool hasValue = i + 1 < args.size();
            if ((l == "-tosession" || l == "-fromsession") && hasValue) {
                c.push = l == "-tosession";
                haveSession = true;
                if (args[i + 1].rfind('(', 0) == 0) { // (New-PSSession -ComputerName X)
                    c.session = computerArg(args, i + 2);
                    c.inlineComputer = true;
                    while (i + 1 < args.size() && args[i + 1].find(')') == std::string::npos)
                        ++i;
                } else {
                    c.session = args[i + 1];
                }
                ++i;
            } else if ((l == "-path" || l == "-literalpath") && hasValue) {
                c.path = args[++i];
            } else if (l == "-destination" && hasValue) {
                c.destination = args[++i];
            } else if (!l.empty() && l[0] == '-') {
                if (l != "-force" && l != "-recurse" && l != "-passthru" && l != "-container" && hasValue
                    && args[i + 1][0] != '-')
                    ++i; // -Filter x, -Credential $c, ...
            } else {
                positional.push_back(args[i]);
            }
        }
        if (c.path.empty() && !positional.empty())
            c.path = positional[0];
        if (c.destination.empty() && positional.size() > 1)
            c.destination = positional[1];
        if (!haveSession || c.session.empty() || c.path.empty())
            continue;
        c.fileName = std::string(WinPath::fileName(c.path));
        if (!looksLikeFile(c.fileName))
            continue;
        out.push_back(std::move(c));
    }
    return out;
}

std::string CommandParser::sessionComputer(std::string_view script, std::string_view variable)
{
    std::string found;
    const std::string var = lower(variable);
    for (std::string_view st : statements(script)) {
        const std::vector<std::string> args = tokenize(st);
        // $s = New-PSSession ..., also $s=New-PSSession
        if (args.size() < 2)
            continue;
        size_t cmd = 0;
        if (lower(args[0]) == var && args[1] == "=")
            cmd = 2;
        else if (lower(args[0]) == var + "=")
            cmd = 1;
        else if (lower(args[0]).rfind(var + "=", 0) == 0 && WinPath::containsI(args[0], "new-pssession"))
            cmd = 0;
        else
            continue;
        if (cmd >= args.size())
            continue;
        std::string first = lower(args[cmd]);
        if (first.rfind(var + "=", 0) == 0)
            first = first.substr(var.size() + 1);
        if (first != "new-pssession" && first != "nsn")
            continue;
        if (std::string c = computerArg(args, cmd + 1); !c.empty())
            found = c;
    }
    return found;
}

} // namespace tt::inference
