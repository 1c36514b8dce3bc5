package io.metagrad.cli;

import picocli.CommandLine;

/** Reports the metagrad version from the jar manifest (or "dev" when run from classes). */
final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = Mgd.class.getPackage().getImplementationVersion();
        return new String[] {"metagrad " + (v == null ? "dev" : v)};
    }
}
