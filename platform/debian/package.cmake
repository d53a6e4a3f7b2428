# The roadshow-kiosk Debian package (CPack DEB): `./dev package` builds it into build/package/.
# Install rules and packaging in one place; included last from the top-level CMakeLists.txt.
#
# Layout (paths relative to /, CPACK_PACKAGING_INSTALL_PREFIX):
#   usr/bin/{kiosk,hq,kiosk-content}
#   usr/lib/roadshow-kiosk/kiosk-http.so                                      loaded at the first send
#   usr/share/roadshow-kiosk/content/{packs,exhibits,catalog,forms,keyboards}   read-only data
#   etc/roadshow-kiosk/kiosk.toml, etc/pam.d/roadshow-kiosk                    conffiles
#   lib/systemd/system/roadshow-kiosk.service                                  the kiosk session
#   usr/share/man/man1/kiosk.1, usr/share/doc/roadshow-kiosk/                  documentation
#   var/lib/roadshow-kiosk/  made by postinst: the store and the log (not in the package)
# Maintainer scripts (postinst, prerm, postrm) honour DPKG_ROOT; the test package/install_deb
# installs, runs and purges the package in a scratch root with them.
set(KIOSK_DEB_DIR ${CMAKE_CURRENT_LIST_DIR})

# In a test build, `cpack` (the test package/install_deb) packages what is already built instead
# of first building every test target: ctest runs after the build, and rebuilding `all` from
# inside a test would take minutes. A release build (./dev package) keeps the usual dependency.
if(KIOSK_BUILD_TESTS)
  set(CMAKE_SKIP_INSTALL_ALL_DEPENDENCY ON)
endif()

install(TARGETS kiosk hq kiosk_content_cli RUNTIME DESTINATION usr/bin)
install(TARGETS kiosk_http LIBRARY DESTINATION usr/lib/roadshow-kiosk)  # sync/http_client.h H2
install(DIRECTORY ${PROJECT_SOURCE_DIR}/content/packs ${PROJECT_SOURCE_DIR}/content/exhibits
                  ${PROJECT_SOURCE_DIR}/content/catalog ${PROJECT_SOURCE_DIR}/content/forms
                  ${PROJECT_SOURCE_DIR}/content/keyboards
        DESTINATION usr/share/roadshow-kiosk/content
        PATTERN "*.svg" EXCLUDE)  # illustration sources; the kiosk shows the PNGs
install(FILES ${KIOSK_DEB_DIR}/kiosk.toml DESTINATION etc/roadshow-kiosk)
install(FILES ${KIOSK_DEB_DIR}/pam-roadshow-kiosk DESTINATION etc/pam.d RENAME roadshow-kiosk)
install(FILES ${PROJECT_SOURCE_DIR}/platform/systemd/roadshow-kiosk.service
        DESTINATION lib/systemd/system)
install(FILES ${KIOSK_DEB_DIR}/kiosk.1 DESTINATION usr/share/man/man1)
install(FILES ${PROJECT_SOURCE_DIR}/README.md ${PROJECT_SOURCE_DIR}/CHANGELOG.md
              ${PROJECT_SOURCE_DIR}/config/demo.toml
        DESTINATION usr/share/doc/roadshow-kiosk)

# conffiles: dpkg keeps a technician's edits on upgrade and removes them only on purge.
file(WRITE ${CMAKE_BINARY_DIR}/debian-control/conffiles
     "/etc/roadshow-kiosk/kiosk.toml\n/etc/pam.d/roadshow-kiosk\n")
file(COPY ${KIOSK_DEB_DIR}/postinst ${KIOSK_DEB_DIR}/prerm ${KIOSK_DEB_DIR}/postrm
     DESTINATION ${CMAKE_BINARY_DIR}/debian-control
     FILE_PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)
# An edited maintainer script is copied again at the next build (not only at the next configure).
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS
             ${KIOSK_DEB_DIR}/postinst ${KIOSK_DEB_DIR}/prerm ${KIOSK_DEB_DIR}/postrm)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME roadshow-kiosk)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "Roadshow Kiosk team <kiosk@roadshow.invalid>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "touch-screen science kiosk with offline participant registration")
set(CPACK_PACKAGE_DESCRIPTION "Science exhibits for children in their own language (Khmer, Burmese,\nArabic, English, Chinese, isiZulu, isiXhosa, Afrikaans) and offline registration by\non-site staff, synced to headquarters (hq). Runs at boot full screen under cage as the\nsystem user roadshow-kiosk (roadshow-kiosk.service).")
set(CPACK_PACKAGING_INSTALL_PREFIX /)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)  # roadshow-kiosk_<version>_<arch>.deb
set(CPACK_DEBIAN_PACKAGE_SECTION misc)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
# Libraries: dpkg-shlibdeps reads the binaries' NEEDED entries. librime (opened at run time, see
# kiosk/ui/pinyin_input.cpp), fonts, GL drivers, the compositor and the session pieces are not
# linked, so they are named here.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# xwayland: Debian 12's cage 0.1.4 is built with XWayland and refuses to start without
# /usr/bin/Xwayland ("Cannot create XWayland server"), yet does not depend on it.
set(CPACK_DEBIAN_PACKAGE_DEPENDS
  "librime1, fonts-noto-core, fonts-noto-cjk, fonts-dejavu-core, libgl1-mesa-dri, libegl-mesa0, cage, xwayland, libpam-systemd, adduser, init-system-helpers (>= 1.60)")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
  ${CMAKE_BINARY_DIR}/debian-control/conffiles ${CMAKE_BINARY_DIR}/debian-control/postinst
  ${CMAKE_BINARY_DIR}/debian-control/prerm ${CMAKE_BINARY_DIR}/debian-control/postrm)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
include(CPack)
