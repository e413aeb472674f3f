package io.claudelb.server.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The package structure of architecture.md, checked on the compiled classes: the server's packages form no
 * cycle, the root package holds only the bootstrap and only the CLI uses it, the relay side never names a client
 * channel's handlers, and the pure modules stay pure.
 */
class ArchitectureTest {
    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.claudelb");

    @Test
    void serverPackagesFormNoCycle() {
        slices().matching("io.claudelb.server.(*)..").should().beFreeOfCycles().check(CLASSES);
    }

    @Test
    void codecAndCorePackagesFormNoCycle() {
        slices().matching("io.claudelb.codec.(*)..").should().beFreeOfCycles().check(CLASSES);
        slices().matching("io.claudelb.core.(*)..").should().beFreeOfCycles().check(CLASSES);
    }

    @Test
    void theRootPackageHoldsTheBootstrapAndOnlyTheCliUsesIt() {
        classes().that().resideInAPackage("io.claudelb.server").should().haveSimpleNameStartingWith("ProxyServer")
                .check(CLASSES);
        noClasses().that().resideInAPackage("io.claudelb.server.(**)")
                .and().resideOutsideOfPackage("io.claudelb.server.cli..")
                .should().dependOnClassesThat().resideInAPackage("io.claudelb.server")
                .check(CLASSES);
    }

    @Test
    void theExchangeWritesToASinkAndNeverToTheInboundPipeline() {
        noClasses().that().resideInAPackage("io.claudelb.server.exchange..")
                .should().dependOnClassesThat().resideInAPackage("io.claudelb.server.inbound..")
                .check(CLASSES);
        noClasses().that().resideInAPackage("io.claudelb.server.exchange..")
                .should().dependOnClassesThat().haveFullyQualifiedName("io.netty.channel.ChannelHandlerContext")
                .check(CLASSES);
    }

    @Test
    void coreKnowsNoNettyAndCodecNoChannels() {
        noClasses().that().resideInAPackage("io.claudelb.core..")
                .should().dependOnClassesThat().resideInAPackage("io.netty..").check(CLASSES);
        noClasses().that().resideInAPackage("io.claudelb.codec..")
                .should().dependOnClassesThat().resideInAnyPackage("io.netty.channel..", "io.netty.bootstrap..")
                .check(CLASSES);
        noClasses().that().resideInAnyPackage("io.claudelb.core..", "io.claudelb.codec..")
                .should().dependOnClassesThat().resideInAPackage("io.claudelb.server..").check(CLASSES);
    }
}
