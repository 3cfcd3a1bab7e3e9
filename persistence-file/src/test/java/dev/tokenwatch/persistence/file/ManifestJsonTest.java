package dev.tokenwatch.persistence.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenwatch.domain.TokenUsageEvent;
import dev.tokenwatch.domain.ledger.Counts;
import dev.tokenwatch.domain.ledger.UsageFilter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The manifest's own JSON reader and writer: what they accept, what they refuse and how they say so. */
class ManifestJsonTest {

  @TempDir
  Path directory;

  @Test
  void readsEveryKindOfValue() throws FormatProblem {
    Object value = ManifestJson.parse(" {\"a\": [1, -2, 0.5, 1e3, -1.5E-2, true, false, null, {}, []],"
        + " \"s\": \"q\\\"b\\\\s\\/\\b\\f\\n\\r\\t\\u00e9\\u20ac\", \"big\": 9223372036854775807} \n");
    assertThat(value).isEqualTo(Map.of(
        "a", Arrays.asList(1L, -2L, 0.5, 1000.0, -0.015, true, false, null, Map.of(), List.of()),
        "s", "q\"b\\s/\b\f\n\r\té€",
        "big", Long.MAX_VALUE));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "{\"a\":1,}|expected a member name in quotes at character 7",
      "{\"a\" 1}|expected ':' at character 5",
      "[1 2]|expected ']' at character 3",
      "{\"a\":01}|expected a number at character 5",
      "{\"a\":1.}|expected digits after the decimal point at character 7",
      "{\"a\":9223372036854775808}|expected an integer of at most 64 bits, not 9223372036854775808 at character 5",
      "{\"a\":\"x|expected a closing quote at character 7",
      "{\"a\":\"\\x\"}|expected an escape",
      "{\"a\":\"\\u12g4\"}|expected 4 hex digits after \\u",
      "{\"a\":tru}|expected a value at character 5",
      "{\"a\":1,\"a\":2}|expected no second member \"a\"",
      "{} {}|expected end of the JSON at character 3",
      "|expected a value at character 0 of the JSON, found the end",
  })
  void refusesMalformedJsonNamingWhereAndWhat(String text, String message) {
    assertThatThrownBy(() -> ManifestJson.parse(text == null ? "" : text)).isInstanceOf(FormatProblem.class)
        .hasMessageContaining(message);
  }

  @Test
  void refusesControlCharactersInStringsAndDeepNesting() {
    assertThatThrownBy(() -> ManifestJson.parse("[\"a\nb\"]")).hasMessageContaining("no control character");
    assertThatThrownBy(() -> ManifestJson.parse("[".repeat(40) + "]".repeat(40)))
        .hasMessageContaining("at most 16 levels");
  }

  @Test
  void writesWhatJacksonAndItselfReadBackExactly() throws IOException {
    String hard = "k \"q\" \\ / \u0001\u001f\n\t é € \uD83D\uDE00";
    Windows.Kept kept = new Windows.Kept(hard, Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2026-02-01T00:00:00Z"));
    kept.scope = UsageFilter.ANY.withTag("team", "a\"b\\c d é€");
    kept.totals = new Counts(1, 2, 3, 4, 10, 5, Long.MAX_VALUE, 6, 7);
    kept.claims.addAll(List.of(0.5, 1.0E-5, 1.25, 3.0));
    Windows.Kept claimsOnly = new Windows.Kept("c", Instant.EPOCH, Instant.EPOCH.plusSeconds(1));
    claimsOnly.claims.add(0.8);
    Manifest manifest = Manifest.of("store-1", 7, 1234, Instant.parse("2025-12-31T23:59:59.123456789Z"),
        new EventsFile.Summary(100, 4_294_967_295L, 3), new IdIndex.Summary(50, 0, 3), List.of(kept, claimsOnly));
    Path file = directory.resolve("manifest");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    manifest.write(out);
    Files.write(file, out.toByteArray());

    Manifest read = Manifest.read(file);
    assertThat(read.storeId()).isEqualTo("store-1");
    assertThat(read.generation()).isEqualTo(7);
    assertThat(read.nextSeq()).isEqualTo(1234);
    assertThat(read.retainedFrom()).isEqualTo(manifest.retainedFrom());
    assertThat(read.events()).isEqualTo(manifest.events());
    assertThat(read.ids()).isEqualTo(manifest.ids());
    Windows.Kept back = read.windows().get(0);
    assertThat(back.key).isEqualTo(hard);
    assertThat(back.scope).isEqualTo(kept.scope);
    assertThat(back.totals).isEqualTo(kept.totals);
    assertThat(back.claims).containsExactly(1.0E-5, 0.5, 1.25, 3.0);
    assertThat(read.windows().get(1).totals).isNull();
    assertThat(read.windows().get(1).claims).containsExactly(0.8);

    byte[] bytes = out.toByteArray();
    JsonNode jackson = new ObjectMapper().readTree(Arrays.copyOfRange(bytes, 9, bytes.length - 1));
    JsonNode w = jackson.path("windows").get(0);
    assertThat(w.path("key").textValue()).isEqualTo(hard);
    assertThat(w.path("totals").get(6).longValue()).isEqualTo(Long.MAX_VALUE);
    assertThat(w.path("claims").get(0).doubleValue()).isEqualTo(1.0E-5);
    assertThat(jackson.path("retainedFrom").textValue()).isEqualTo("2025-12-31T23:59:59.123456789Z");
    assertThat(jackson.path("events").path("footerCrc32c").longValue()).isEqualTo(4_294_967_295L);
  }

  @Test
  void aManifestWhoseChecksumMatchesButWhoseJsonIsBrokenIsRefusedNamingItAndLeftAsItWas() throws IOException {
    Path state = directory.resolve("state");
    try (FileUsageStore store = new FileUsageStore(state)) {
      store.record(List.of(TokenUsageEvent.builder("m").inputTokens(5).requestId("r").timestamp(Instant.EPOCH).build()), List.of());
    }
    Path manifest = state.resolve("manifest");
    String body = Files.readString(manifest, StandardCharsets.UTF_8);
    String broken = body.substring(9, body.length() - 1).replace("\"nextSeq\":", "\"nextSeq\" ");
    CRC32C crc = new CRC32C();
    crc.update(broken.getBytes(StandardCharsets.UTF_8));
    byte[] written = (String.format("%08x ", crc.getValue()) + broken + "\n").getBytes(StandardCharsets.UTF_8);
    Files.write(manifest, written);

    assertThatThrownBy(() -> new FileUsageStore(state)).isInstanceOf(StoreFileException.class)
        .hasMessageContaining(manifest.toString())
        .hasMessageContaining("is malformed although its checksum matches")
        .hasMessageContaining("expected ':' at character");
    assertThat(Files.readAllBytes(manifest)).isEqualTo(written);
  }

  @Test
  void aWellFormedManifestWithAFieldOfTheWrongTypeIsRefusedNamingTheField() throws IOException {
    Path state = directory.resolve("state");
    new FileUsageStore(state).close();
    Path manifest = state.resolve("manifest");
    String body = Files.readString(manifest, StandardCharsets.UTF_8);
    String changed = body.substring(9, body.length() - 1).replaceFirst("\"nextSeq\":(\\d+)", "\"nextSeq\":\"$1\"");
    CRC32C crc = new CRC32C();
    crc.update(changed.getBytes(StandardCharsets.UTF_8));
    Files.writeString(manifest, String.format("%08x ", crc.getValue()) + changed + "\n");
    assertThatThrownBy(() -> new FileUsageStore(state)).isInstanceOf(StoreFileException.class)
        .hasMessageContaining(manifest.toString())
        .hasMessageContaining("field \"nextSeq\" must be an integer");
  }
}
