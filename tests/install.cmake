# `cmake --install` into a temporary prefix: the binary, the desktop entry, the MIME type, the
# AppStream metainfo and the hicolor icons where a Linux desktop finds them; and the menu icons.
tt_add_test(tst_install SOURCES install/tst_install.cpp install/InstallTree.h LIBS Qt6::Gui Qt6::Svg)
target_compile_definitions(tst_install PRIVATE TT_CMAKE_COMMAND="${CMAKE_COMMAND}")
add_dependencies(tst_install transfertrace tt_icons)
# The same files through the freedesktop.org tools (desktop-file-validate, appstreamcli,
# update-mime-database): skipped, not passed, when one of them is not installed.
tt_add_test(tst_install_validate SOURCES install/tst_install_validate.cpp install/InstallTree.h LIBS Qt6::Core)
target_compile_definitions(tst_install_validate PRIVATE TT_CMAKE_COMMAND="${CMAKE_COMMAND}")
add_dependencies(tst_install_validate transfertrace tt_icons)
if(TT_BUILD_GUI)
  tt_add_test(tst_app_icons SOURCES install/tst_app_icons.cpp LIBS tt_views tt_resources)
endif()
