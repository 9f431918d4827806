/**
 * The Alloy configuration syntax: lexer, parser, syntax tree, expression evaluator and diagnostics.
 *
 * <p>Pipeline, with one {@link io.pyrogate.config.syntax.Diagnostics} collector throughout:
 *
 * <pre>
 * Diagnostics diags = new Diagnostics();
 * Body body = AlloyParser.parse("gateway.alloy", text, diags);      // never throws on bad input
 * Evaluator evaluator = new Evaluator(System::getenv, hostname);
 * Value v = evaluator.evaluate(attribute.value(), diags);          // per attribute, when decoding
 * ...
 * if (diags.hasErrors()) {
 *   System.err.print(DiagnosticPrinter.renderAll(diags.all(), file -&gt; text));
 * }
 * </pre>
 *
 * <p>Conventions worth knowing when decoding the tree:
 *
 * <ul>
 *   <li>The tree is best-effort after errors. A missing or unreadable expression is a {@link
 *       io.pyrogate.config.syntax.BadExpr}; evaluating it gives an {@link
 *       io.pyrogate.config.syntax.ErrorValue} and no further diagnostic. Skip ErrorValues silently.
 *   <li>{@link io.pyrogate.config.syntax.ReferenceValue} is a dependency on another component's
 *       export ({@code pyroscope.write.staging.receiver}); arrays and objects may contain
 *       references.
 *   <li>Numbers are {@link io.pyrogate.config.syntax.NumberValue} (integers) or {@link
 *       io.pyrogate.config.syntax.FloatValue}; Alloy treats both as one "number" type, so a decoder
 *       expecting a float should accept an integer, and one expecting an integer may accept an
 *       integral float.
 *   <li>Durations are strings: parse them with {@link io.pyrogate.golang.Durations#parse}.
 *   <li>Positions are 1-based line and column; columns count characters (code points), a tab is
 *       one.
 * </ul>
 */
package io.pyrogate.config.syntax;
