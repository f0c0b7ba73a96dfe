package io.github.ucconnector.reliability;

/** Closing what a test started, in the order given, skipping what was never started. */
final class TestResources {

    private TestResources() {
    }

    static void closeAll(AutoCloseable... resources) {
        for (AutoCloseable resource : resources) {
            if (resource != null) {
                try {
                    resource.close();
                } catch (Exception e) {
                    throw new IllegalStateException("Could not close " + resource, e);
                }
            }
        }
    }
}
