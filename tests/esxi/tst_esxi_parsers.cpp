// ESXi log parser: the line shapes of ESXi 6.5 / 7 (shell[PID]:, "info hostd[PID] [Originator@",
// vobd's "TIME: [Correlator]") and 8 (the In(14) marker), sshd lines read as on Linux, hostd's
// "-->" continuations, a damaged line rejected with its number while the rest is kept, shell
// working directories, datastore URLs, forwarded lines through the syslog parser (and a Linux
// program that happens to be called "shell" left alone), detection that never takes a Linux
// syslog file, and esxcli's depot URLs in the command parser.

#include "TestSupport.h"

#include "core/FileSource.h"
#include "core/FormatDetector.h"
#include "esxi/EsxiLogParser.h"
#include "esxi/EsxiMessage.h"
#include "inference/CommandParser.h"
#include "linux/SshdMessage.h"
#include "linux/SyslogAuthParser.h"

#include <QTest>

using namespace tt;
using namespace tt::test;

namespace {
template<typename P> bool parseFixture(P &p, const char *name, CollectingSink &sink, const char *host = "ESX01")
{
    ParseContext ctx;
    ctx.defaultHost = host;
    p.setContext(ctx);
    const std::string text = readFixture(QStringLiteral("esxi/") + QLatin1String(name));
    MemorySource src(text);
    return p.parse(src, sink);
}

Format detect(const std::string &text)
{
    return detectFormat(text.data(), text.size());
}
} // namespace

class TstEsxiParsers : public QObject {
    Q_OBJECT
private slots:
    void detection()
    {
        for (const char *f : {"esx01-auth.log", "esx01-shell.log", "esx01-hostd.log", "esx01-vobd.log"})
            QCOMPARE(
                formatName(detect(readFixture(QStringLiteral("esxi/") + QLatin1String(f)))), std::string_view("esxi"));
        // Forwarded lines carry a host name: syslog, read by the syslog parser.
        QCOMPARE(detect(readFixture(QStringLiteral("esxi/esx02-forwarded.log"))), Format::Syslog);
        // Linux files stay syslog: rsyslog's precise format has the host where ESXi has the program.
        QCOMPARE(detect(readFixture(QStringLiteral("linux/db01-auth.log"))), Format::Syslog);
        QCOMPARE(detect("2026-03-04T10:00:00.123456+01:00 web01 sshd[123]: Accepted password for a from 10.0.0.1 "
                        "port 2 ssh2\n"),
            Format::Syslog);
        QCOMPARE(detect("2026-03-04T10:00:00+01:00 info sshd[123]: x\n"), Format::Syslog); // a host called "info"
        QVERIFY(!EsxiLogParser::looksLikeEsxi("2026-03-04T10:00:00Z kernel: x")); // no pid, no level marker
        QVERIFY(EsxiLogParser::looksLikeEsxi("2026-03-04T10:00:00Z shell[1]: [root]: ls"));
        QCOMPARE(formatFromName("esxi"), Format::Esxi);
    }

    void shellLog()
    {
        EsxiLogParser p;
        CollectingSink sink;
        QVERIFY(parseFixture(p, "esx01-shell.log", sink));
        // Line 8 was cut: rejected with its number, the lines after it kept.
        QCOMPARE(sink.rejects.size(), size_t(1));
        QCOMPARE(sink.rejects[0].position, int64_t(8));
        QCOMPARE(sink.events.size(), size_t(11));
        const RawEvent &start = sink.events[0];
        QCOMPARE(start.channel, std::string("esxi:shell"));
        QCOMPARE(start.eventId, esxi::shell::kOther);
        QCOMPARE(sys(start, "Level"), std::string("In(14)"));
        QCOMPARE(start.computer, std::string("ESX01"));
        QCOMPARE(start.timeSource, TimeSource::ExplicitZone);
        const RawEvent &run = sink.events[3];
        QCOMPARE(run.eventId, esxi::shell::kCommand);
        QCOMPARE(fld(run, "user"), std::string("root"));
        QCOMPARE(fld(run, "pid"), std::string("2001"));
        QCOMPARE(fld(run, "command"), std::string("./encrypt.sh --vmfs /vmfs/volumes"));
        QCOMPARE(fld(run, "cwd"), std::string("/tmp")); // from "cd /tmp" two lines before
        QCOMPARE(fld(run, "image"), std::string("/tmp/encrypt.sh"));
        QCOMPARE(fld(sink.events[4], "image"), std::string("wget"));
        QCOMPARE(run.position, int64_t(4));
        // Attacker-controlled text is kept as written (escaping is the renderer's job).
        QCOMPARE(fld(sink.events[9], "command"), std::string("echo \"<script>alert('x')</script>\" > /tmp/.note"));
        QCOMPARE(sink.events[9].position, int64_t(11));
    }

    void authLogIsSshd()
    {
        EsxiLogParser p;
        CollectingSink sink;
        QVERIFY(parseFixture(p, "esx01-auth.log", sink));
        QCOMPARE(sink.rejects.size(), size_t(0));
        QCOMPARE(sink.events.size(), size_t(8));
        const RawEvent &acc = sink.events[1];
        QCOMPARE(acc.channel, std::string("linux:sshd"));
        QCOMPARE(acc.eventId, int(sshd::kAccepted));
        QCOMPARE(fld(acc, "user"), std::string("root"));
        QCOMPARE(fld(acc, "ip"), std::string("10.20.0.11"));
        QCOMPARE(fld(acc, "method"), std::string("keyboard-interactive/pam"));
        QCOMPARE(sink.events[0].eventId, int(sshd::kConnection));
        QCOMPARE(fld(sink.events[0], "local_ip"), std::string("10.20.0.50"));
        QCOMPARE(sink.events[7].eventId, int(sshd::kFailed));
    }

    void hostdLog()
    {
        EsxiLogParser p;
        CollectingSink sink;
        QVERIFY(parseFixture(p, "esx01-hostd.log", sink));
        QCOMPARE(sink.rejects.size(), size_t(0));
        QCOMPARE(sink.events.size(), size_t(6)); // the three "-->" lines belong to the record before
        const RawEvent &login = sink.events[0];
        QCOMPARE(login.channel, std::string("esxi:hostd"));
        QCOMPARE(login.eventId, esxi::hostd::kLogin);
        QCOMPARE(fld(login, "user"), std::string("root"));
        QCOMPARE(fld(login, "ip"), std::string("10.20.0.12"));
        QCOMPARE(fld(login, "user_agent"), std::string("Mozilla/5.0 (X11; Linux x86_64)"));
        QCOMPARE(fld(login, "sub"), std::string("Vimsvc.ha-eventmgr"));
        QCOMPARE(fld(login, "op_id"), std::string("esxui-1a2b-3c4d"));
        QCOMPARE(sys(login, "Level"), std::string("info"));
        const RawEvent &up = sink.events[1];
        QCOMPARE(up.eventId, esxi::hostd::kUpload);
        QCOMPARE(fld(up, "path"), std::string("/vmfs/volumes/datastore1/iso/payload v2.iso"));
        QCOMPARE(fld(up, "datastore"), std::string("datastore1"));
        QCOMPARE(fld(up, "dc_path"), std::string("ha-datacenter"));
        QCOMPARE(fld(up, "user"), std::string("root"));
        QVERIFY(!up.hasField("ip")); // the request line names no client
        QVERIFY(fld(sink.events[2], "message").find("\n-->    faultCause") != std::string::npos);
        const RawEvent &down = sink.events[3];
        QCOMPARE(down.eventId, esxi::hostd::kDownload);
        QCOMPARE(fld(down, "ip"), std::string("10.20.0.13"));
        QCOMPARE(down.position, int64_t(7));
        QCOMPARE(sink.events[4].eventId, esxi::hostd::kLogout);
        QCOMPARE(sink.events[5].eventId, esxi::hostd::kLoginFailed);
        QCOMPARE(fld(sink.events[5], "user"), std::string("baduser"));
    }

    void vobdLog()
    {
        EsxiLogParser p;
        CollectingSink sink;
        QVERIFY(parseFixture(p, "esx01-vobd.log", sink));
        QCOMPARE(sink.events.size(), size_t(3));
        QCOMPARE(sink.events[0].eventId, esxi::vobd::kOther);
        QCOMPARE(fld(sink.events[0], "vob"), std::string("esx.audit.ssh.enabled"));
        QCOMPARE(sink.events[1].eventId, esxi::vobd::kSshOpened);
        QCOMPARE(fld(sink.events[1], "user"), std::string("root"));
        QCOMPARE(fld(sink.events[1], "ip"), std::string("10.20.0.11"));
        QCOMPARE(sink.events[2].eventId, esxi::vobd::kSshClosed);
    }

    void withoutHostKeptAndWarned()
    {
        EsxiLogParser p;
        CollectingSink sink;
        QVERIFY(parseFixture(p, "esx01-vobd.log", sink, ""));
        QCOMPARE(sink.events.size(), size_t(3));
        QCOMPARE(sink.warnings.size(), size_t(1));
        QVERIFY(sink.warnings[0].reason.find("--host") != std::string::npos);
    }

    void nothingReadable()
    {
        EsxiLogParser p;
        CollectingSink sink;
        const std::string text = "not a log\nstill not\n";
        MemorySource src(text);
        QVERIFY(!p.parse(src, sink));
        QCOMPARE(sink.rejects.size(), size_t(3)); // each line, then the file
        QCOMPARE(sink.rejects[1].position, int64_t(2));
    }

    void forwardedThroughSyslog()
    {
        SyslogAuthParser p;
        CollectingSink sink;
        QVERIFY(parseFixture(p, "esx02-forwarded.log", sink, ""));
        QCOMPARE(sink.rejects.size(), size_t(0));
        QCOMPARE(sink.events.size(), size_t(9));
        QCOMPARE(sink.events[0].channel, std::string("linux:sshd"));
        QCOMPARE(sink.events[0].computer, std::string("esx02.corp.local"));
        QCOMPARE(sink.events[2].channel, std::string("esxi:shell"));
        QCOMPARE(fld(sink.events[2], "image"), std::string("/vmfs/volumes/datastore1/agent.elf"));
        QCOMPARE(fld(sink.events[3], "image"), std::string("nohup"));
        QCOMPARE(sink.events[4].channel, std::string("esxi:hostd")); // RFC 3164 header, ESXi 7 hostd body
        QCOMPARE(sink.events[4].eventId, esxi::hostd::kLogin);
        QCOMPARE(fld(sink.events[4], "ip"), std::string("10.20.0.14"));
        QCOMPARE(sink.events[5].eventId, esxi::hostd::kUpload); // RFC 5424, ESXi 8 hostd body
        QCOMPARE(fld(sink.events[5], "ip"), std::string("10.20.0.14"));
        QCOMPARE(fld(sink.events[5], "path"), std::string("/vmfs/volumes/datastore1/tools/loader.vib"));
        QCOMPARE(sink.events[6].channel, std::string("esxi:vobd"));
        QCOMPARE(sink.events[6].eventId, esxi::vobd::kSshOpened);
        // A Linux program called "shell" whose line has no ESXi shape stays an ordinary syslog line.
        QCOMPARE(sink.events[7].channel, std::string("linux:syslog"));
        QCOMPARE(fld(sink.events[8], "path"),
            std::string("/vmfs/volumes/datastore1/tools/<img src=x onerror=alert(1)>.vib"));
    }

    void datastoreUrls()
    {
        std::string ds, dc;
        QCOMPARE(esxi::datastorePath("/folder/a%2Fb/c.vmdk?dcPath=ha-datacenter&dsName=ds%201", &ds, &dc),
            std::string("/vmfs/volumes/ds 1/a/b/c.vmdk"));
        QCOMPARE(ds, std::string("ds 1"));
        QCOMPARE(dc, std::string("ha-datacenter"));
        QCOMPARE(esxi::datastorePath("https://esx01:443/folder/x.iso?dsName=datastore1"),
            std::string("/vmfs/volumes/datastore1/x.iso"));
        QCOMPARE(esxi::datastorePath("/folder/x.iso"), std::string()); // no datastore
        QCOMPARE(esxi::datastorePath("/folder/x.iso?dsName=../etc"), std::string()); // no path out of /vmfs/volumes
        QCOMPARE(esxi::datastorePath("/sdk"), std::string());
    }

    void esxcliDepots()
    {
        using inference::CommandParser;
        auto moves = CommandParser::parse("esxcli software vib install -d http://10.0.0.5/depot/d.zip --no-sig-check");
        QCOMPARE(moves.size(), size_t(1));
        QCOMPARE(moves[0].host, std::string("10.0.0.5"));
        QCOMPARE(moves[0].fileName, std::string("d.zip"));
        QVERIFY(!moves[0].push);
        QCOMPARE(moves[0].tool, std::string("esxcli software"));
        moves = CommandParser::parse("esxcli software vib update --viburl=https://repo.corp/x/tools.vib");
        QCOMPARE(moves.size(), size_t(1));
        QCOMPARE(moves[0].fileName, std::string("tools.vib"));
        QCOMPARE(CommandParser::parse("esxcli network firewall set -d http://10.0.0.5/x.zip").size(), size_t(0));
        QCOMPARE(CommandParser::parse("esxcli software vib list").size(), size_t(0));
    }
};

QTEST_GUILESS_MAIN(TstEsxiParsers)
#include "tst_esxi_parsers.moc"
