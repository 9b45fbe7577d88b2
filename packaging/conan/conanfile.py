"""Conan 2 recipe for supportnlp, building from this source tree.

    conan create packaging/conan --build=missing

Tests, examples and benchmarks are off. Consumers get the CMake target
supportnlp::supportnlp (find_package(supportnlp)) and a pkg-config file.
"""
import os
import re

from conan import ConanFile
from conan.tools.build import check_min_cppstd
from conan.tools.cmake import CMake, CMakeDeps, CMakeToolchain, cmake_layout
from conan.tools.files import copy, load, rmdir
from conan.tools.gnu import PkgConfigDeps

required_conan_version = ">=2.0"


class SupportnlpConan(ConanFile):
    name = "supportnlp"
    description = ("Embeddable C++17 NLP for customer-support text: tokenization, sentiment, "
                   "intent, knowledge-base search, PII detection and urgency")
    license = "Apache-2.0"
    topics = ("nlp", "customer-support", "tokenizer", "search", "pii")
    package_type = "library"
    settings = "os", "arch", "compiler", "build_type"
    options = {
        "shared": [True, False],
        "fPIC": [True, False],
        "native": [True, False],
    }
    default_options = {
        "shared": False,
        "fPIC": True,
        "native": False,
    }

    # The recipe lives two levels below the repository root.
    @property
    def _root(self):
        return os.path.join(self.recipe_folder, "..", "..")

    def set_version(self):
        cmakelists = load(self, os.path.join(self._root, "CMakeLists.txt"))
        self.version = re.search(r"project\(supportnlp VERSION (\d+\.\d+\.\d+)", cmakelists).group(1)

    def export_sources(self):
        for folder in ("cmake", "include", "src", "data"):
            copy(self, "*", os.path.join(self._root, folder),
                 os.path.join(self.export_sources_folder, folder))
        for name in ("CMakeLists.txt", "LICENSE"):
            copy(self, name, self._root, self.export_sources_folder)

    def config_options(self):
        if self.settings.os == "Windows":
            del self.options.fPIC

    def configure(self):
        if self.options.shared:
            self.options.rm_safe("fPIC")

    def layout(self):
        cmake_layout(self, src_folder=".")

    def requirements(self):
        # Only our own types appear in the public headers, so none of these
        # needs its headers visible to consumers.
        self.requires("icu/[>=70 <80]")
        self.requires("eigen/3.4.0")
        self.requires("sentencepiece/[>=0.1.97 <0.3]")
        self.requires("nlohmann_json/[>=3.10 <4]")

    def validate(self):
        check_min_cppstd(self, 17)

    def generate(self):
        tc = CMakeToolchain(self)
        tc.cache_variables["SUPPORTNLP_BUILD_TESTS"] = False
        tc.cache_variables["SUPPORTNLP_BUILD_EXAMPLES"] = False
        tc.cache_variables["SUPPORTNLP_BUILD_BENCHMARKS"] = False
        tc.cache_variables["SUPPORTNLP_NATIVE"] = bool(self.options.native)
        tc.generate()
        CMakeDeps(self).generate()
        # The build finds SentencePiece through pkg_check_modules().
        PkgConfigDeps(self).generate()

    def build(self):
        cmake = CMake(self)
        cmake.configure()
        cmake.build()

    def package(self):
        copy(self, "LICENSE", self.source_folder, os.path.join(self.package_folder, "licenses"))
        cmake = CMake(self)
        cmake.install()
        # Conan generates the consumers' CMake and pkg-config files itself.
        rmdir(self, os.path.join(self.package_folder, "lib", "cmake"))
        rmdir(self, os.path.join(self.package_folder, "lib", "pkgconfig"))

    def package_info(self):
        self.cpp_info.set_property("cmake_file_name", "supportnlp")
        self.cpp_info.set_property("cmake_target_name", "supportnlp::supportnlp")
        self.cpp_info.set_property("pkg_config_name", "supportnlp")
        self.cpp_info.libs = ["supportnlp"]
        self.cpp_info.resdirs = ["share/supportnlp"]
        if self.settings.os in ("Linux", "FreeBSD"):
            self.cpp_info.system_libs = ["pthread", "m"]
