package dev.warthog;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

/** Compiles and runs the Java block of README.md, so the documented API cannot drift. */
class ReadmeExampleTest {
    @TempDir Path dir;

    @Test
    void readmeSnippetCompilesRunsAndReachesTheOptimum() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        Matcher m = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL).matcher(readme);
        assertTrue(m.find(), "README has a ```java block");
        String code = m.group(1);
        assertTrue(code.contains("public class Example"));
        Path src = dir.resolve("Example.java");
        Files.writeString(src, code);

        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        List<String> args = new ArrayList<>(List.of("-d", dir.toString(), "-cp", System.getProperty("java.class.path")));
        args.add(src.toString());
        ByteArrayOutputStream diag = new ByteArrayOutputStream();
        int rc = javac.run(null, diag, diag, args.toArray(String[]::new));
        assertEquals(0, rc, "README example does not compile:\n" + diag);

        String heart = System.getProperty("warthog.shared", "../shared") + "/data/heart_scale";
        PrintStream old = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (URLClassLoader cl = new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader())) {
            System.setOut(new PrintStream(out, true));
            cl.loadClass("Example").getMethod("main", String[].class).invoke(null, (Object) new String[] {heart});
        } finally {
            System.setOut(old);
        }
        Matcher f = Pattern.compile("F\\(w\\) = ([0-9.]+), train accuracy ([0-9.]+), 13 weights").matcher(out.toString());
        assertTrue(f.find(), "unexpected output: " + out);
        assertEquals(0.355646692412, Double.parseDouble(f.group(1)), 0.355646692412 * 1e-9);
        assertEquals(0.8333, Double.parseDouble(f.group(2)), 1e-4);
    }
}
