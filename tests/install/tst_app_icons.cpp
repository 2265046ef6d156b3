// The icons the workbench shows come from the resources when the desktop has no icon theme (a
// minimal install, offscreen): the window icon at every size and the menu actions' icons.
#include "AppIcons.h"
#include "WorkbenchWindow.h"
#include "workbench/FilterHistory.h"
#include "workbench/Selection.h"

#include <QAction>
#include <QApplication>
#include <QIcon>
#include <QImage>
#include <QMenu>
#include <QMenuBar>
#include <QPixmap>
#include <QTest>

using namespace tt;

namespace {

QString plain(QString text)
{
    return text.remove(QLatin1Char('&'));
}

void collect(const QList<QAction *> &actions, QList<QAction *> *out)
{
    for (QAction *a : actions) {
        out->append(a);
        if (a->menu())
            collect(a->menu()->actions(), out);
    }
}

// Some pixel of a rendering of ICON at SIZE is drawn.
bool paints(const QIcon &icon, int size)
{
    const QImage img = icon.pixmap(QSize(size, size)).toImage();
    for (int y = 0; y < img.height(); ++y)
        for (int x = 0; x < img.width(); ++x)
            if (qAlpha(img.pixel(x, y)) > 0)
                return true;
    return false;
}

} // namespace

class TstAppIcons : public QObject {
    Q_OBJECT

private slots:
    void initTestCase()
    {
        // No icon theme anywhere: every icon must come from our resources.
        QIcon::setThemeSearchPaths({});
        QIcon::setThemeName(QStringLiteral("no-such-theme"));
    }

    void applicationIcon()
    {
        const QIcon icon = tt::applicationIcon();
        QVERIFY(!icon.isNull());
        for (int size : {16, 32, 256})
            QVERIFY2(paints(icon, size), qPrintable(QString::number(size)));
        // The 16 px design, not the large one shrunk: they differ pixel for pixel.
        const QImage small = icon.pixmap(QSize(16, 16)).toImage().convertToFormat(QImage::Format_ARGB32);
        const QImage shrunk = renderSvgIcon(QStringLiteral(":/icons/") + applicationId() + QStringLiteral(".svg"), 16);
        QCOMPARE(small, renderSvgIcon(applicationIconSvg(QStringLiteral(":/icons"), 16), 16));
        QVERIFY(small != shrunk);
    }

    void themedIconFallsBackToOurs_data()
    {
        QTest::addColumn<QString>("name");
        for (const char *n : {"document-new", "document-open", "document-save-as", "document-import", "document-export",
                 "edit-undo", "edit-redo", "go-previous", "go-next", "zoom-fit-best", "view-refresh"})
            QTest::newRow(n) << QString::fromLatin1(n);
    }

    void themedIconFallsBackToOurs()
    {
        QFETCH(QString, name);
        QVERIFY(paints(themedIcon(name), 16));
        QVERIFY(themedIcon(QStringLiteral("no-such-icon")).isNull());
    }

    void workbenchActionsHaveIcons_data()
    {
        QTest::addColumn<QString>("text");
        for (const char *t : {"New Case...", "Open Case...", "Save Case As...", "Import Files...", "Export", "Undo",
                 "Redo", "Back", "Forward", "Fit Graph"})
            QTest::newRow(t) << QString::fromLatin1(t);
    }

    void workbenchActionsHaveIcons()
    {
        QFETCH(QString, text);
        FilterHistory filter;
        Selection selection;
        WorkbenchWindow window(&filter, &selection);
        QList<QAction *> all;
        collect(window.menuBar()->actions(), &all);
        QAction *found = nullptr;
        for (QAction *a : all)
            if (plain(a->text()) == text)
                found = a;
        QVERIFY2(found, qPrintable(text));
        QVERIFY(paints(found->icon(), 16));
    }
};

QTEST_MAIN(TstAppIcons)
#include "tst_app_icons.moc"
