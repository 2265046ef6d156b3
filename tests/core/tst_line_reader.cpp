// tt::LineReader, the one line splitter of the text formats (audit, syslog, journald, timeline
// JSONL): endings, BOM, the last line, and an exact line limit with the right line numbers.
#include "TestSupport.h"
#include "core/FileSource.h"
#include "core/LineReader.h"

#include <QTest>

using tt::LineReader;

namespace {
struct Line {
    LineReader::Status status;
    int64_t number;
    std::string text;
};

std::vector<Line> readAll(const std::string &input, size_t maxLine, size_t block)
{
    tt::MemorySource src(input);
    LineReader reader(src, maxLine, block);
    std::vector<Line> out;
    for (;;) {
        std::string_view text;
        int64_t no = 0;
        const LineReader::Status st = reader.next(text, no);
        if (st == LineReader::Status::End)
            break;
        out.push_back({st, no, st == LineReader::Status::Line ? std::string(text) : std::string()});
    }
    return out;
}
} // namespace

class TstLineReader : public QObject {
    Q_OBJECT
private slots:
    void endingsBomAndLastLine_data()
    {
        QTest::addColumn<int>("block");
        for (int b : {16, 17, 64, 4096})
            QTest::newRow(qPrintable(QStringLiteral("block %1").arg(b))) << b;
    }
    void endingsBomAndLastLine()
    {
        QFETCH(int, block);
        const auto lines = readAll("\xEF\xBB\xBF"
                                   "one\r\ntwo\n\nthree",
            1 << 20, size_t(block));
        QCOMPARE(lines.size(), size_t(4));
        QCOMPARE(lines[0].text, std::string("one"));
        QCOMPARE(lines[1].text, std::string("two"));
        QCOMPARE(lines[2].text, std::string(""));
        QCOMPARE(lines[3].text, std::string("three"));
        for (size_t i = 0; i < lines.size(); ++i) {
            QCOMPARE(int(lines[i].status), int(LineReader::Status::Line));
            QCOMPARE(lines[i].number, int64_t(i + 1));
        }
    }

    // The limit is exact whatever the block size (the buffer grows by doubling), an overlong line
    // is reported with its own number and skipped whole, and the numbering goes on after it.
    void exactLimit_data()
    {
        QTest::addColumn<int>("block");
        for (int b : {16, 20, 64, 4096})
            QTest::newRow(qPrintable(QStringLiteral("block %1").arg(b))) << b;
    }
    void exactLimit()
    {
        QFETCH(int, block);
        const std::string at(40, 'a'), over(41, 'b'), huge(500, 'c');
        const auto lines = readAll(at + "\n" + over + "\r\n" + huge + "\nend\n" + over, 40, size_t(block));
        QCOMPARE(lines.size(), size_t(5));
        QCOMPARE(int(lines[0].status), int(LineReader::Status::Line));
        QCOMPARE(lines[0].text, at);
        QCOMPARE(int(lines[1].status), int(LineReader::Status::TooLong));
        QCOMPARE(lines[1].number, int64_t(2));
        QCOMPARE(int(lines[2].status), int(LineReader::Status::TooLong));
        QCOMPARE(lines[2].number, int64_t(3));
        QCOMPARE(int(lines[3].status), int(LineReader::Status::Line));
        QCOMPARE(lines[3].number, int64_t(4));
        QCOMPARE(lines[3].text, std::string("end"));
        QCOMPARE(int(lines[4].status), int(LineReader::Status::TooLong));
        QCOMPARE(lines[4].number, int64_t(5));
    }

    // nextLine(): the overlong line is rejected through the sink with its number and the limit.
    void nextLineReports()
    {
        const std::string input = std::string(3 << 20, 'x') + "\nok\n";
        tt::MemorySource src(input);
        tt::test::CollectingSink sink;
        LineReader reader(src, size_t(1) << 20, size_t(256) << 10);
        std::string_view text;
        int64_t no = 0;
        QVERIFY(tt::nextLine(reader, sink, text, no));
        QCOMPARE(text, std::string_view("ok"));
        QCOMPARE(no, int64_t(2));
        QVERIFY(!tt::nextLine(reader, sink, text, no));
        QCOMPARE(sink.rejects.size(), size_t(1));
        QCOMPARE(sink.rejects[0].position, int64_t(1));
        QCOMPARE(sink.rejects[0].reason, std::string("line longer than 1 MiB: not read"));
        QVERIFY(sink.warnings.empty());
    }
};

QTEST_APPLESS_MAIN(TstLineReader)
#include "tst_line_reader.moc"
