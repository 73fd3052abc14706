package org.vigil;

/**
 * Runs every test and ends with "N passed, M failed" (exit status 1 on any
 * failure). Tests live in package org.vigil so lifetime tests can see
 * NativeResource.live().
 */
public final class VigilTests {
    private int passed;
    private int failed;

    void test(String name, Check.Body body) {
        try {
            body.run();
            passed++;
            System.out.println("ok   " + name);
        } catch (Throwable t) {
            failed++;
            System.out.println("FAIL " + name);
            t.printStackTrace(System.out);
        }
    }

    public static void main(String[] args) {
        VigilTests suite = new VigilTests();
        ApiTests.register(suite);
        ParityTests.register(suite);
        ErrorTests.register(suite);
        MeddraTests.register(suite);
        ThreadTests.register(suite);
        LifetimeTests.register(suite);
        System.out.println(suite.passed + " passed, " + suite.failed + " failed");
        System.exit(suite.failed == 0 ? 0 : 1);
    }
}
